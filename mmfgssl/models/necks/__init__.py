# Copyright (c) OpenMMLab. All rights reserved.
from .gfb_weighted_pooling import GFBWeightedPooling

__all__ = ['GFBWeightedPooling']
