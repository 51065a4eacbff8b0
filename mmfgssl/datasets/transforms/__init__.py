# Copyright (c) OpenMMLab. All rights reserved.
from .color_jitter import ColorJitter
from .multi_view_with_mask import MultiViewWithMask
from .saliency_swap import SaliencySwap

__all__ = ['ColorJitter', 'MultiViewWithMask', 'SaliencySwap']
