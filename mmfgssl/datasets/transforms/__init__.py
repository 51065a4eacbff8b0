# Copyright (c) OpenMMLab. All rights reserved.
from .color_jitter import ColorJitter, adjust_hue
from .contrastive_crop import ContrastiveCrop
from .copy_paste_background import CopyPasteBackground
from .load_image_from_file import LoadImageFromFile
from .load_saliency_mask import LoadSaliencyMask
from .multi_view_with_mask import MultiViewWithMask
from .saliency_swap import SaliencySwap

__all__ = [
    'ColorJitter', 'ContrastiveCrop', 'CopyPasteBackground',
    'LoadImageFromFile', 'LoadSaliencyMask', 'MultiViewWithMask',
    'SaliencySwap', 'adjust_hue'
]
