# Copyright (c) OpenMMLab. All rights reserved.
from .color_jitter import ColorJitter, adjust_hue
from .contrastive_crop import ContrastiveCrop

__all__ = ['ColorJitter', 'ContrastiveCrop', 'adjust_hue']
