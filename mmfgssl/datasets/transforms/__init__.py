# Copyright (c) OpenMMLab. All rights reserved.
from .color_jitter import ColorJitter
from .copy_paste_background import CopyPasteBackground
from .load_saliency_mask import LoadSaliencyMask
from .multi_view_with_mask import MultiViewWithMask
from .saliency_swap import SaliencySwap

__all__ = ['ColorJitter', 'MultiViewWithMask', 'SaliencySwap']
# DiLo
__all__ += ['CopyPasteBackground', 'LoadSaliencyMask']
