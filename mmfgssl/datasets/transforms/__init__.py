# Copyright (c) OpenMMLab. All rights reserved.
from .color_jitter import ColorJitter, adjust_hue
from .contrastive_crop import ContrastiveCrop
from .multi_view_with_mask import MultiViewWithMask
from .saliency_swap import SaliencySwap

__all__ = [
    'ColorJitter', 'ContrastiveCrop', 'adjust_hue', 'MultiViewWithMask',
    'SaliencySwap'
]
