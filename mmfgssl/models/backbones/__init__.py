# Copyright (c) OpenMMLab. All rights reserved.
from .resnet_no_max_pool import ResNetNoMaxPool

__all__ = ['ResNetNoMaxPool']
