# Copyright (c) OpenMMLab. All rights reserved.
from .contrastive_crop import ContrastiveCrop

__all__ = ['ContrastiveCrop']
