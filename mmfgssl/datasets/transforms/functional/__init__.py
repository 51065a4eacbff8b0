# Copyright (c) OpenMMLab. All rights reserved.
from .copy_paste import (blend_alpha, composite, cover_crop, gray_background,
                         resize_mask)
from .saliency_swap import (integer_box, paste_patch, sample_paste_box,
                            sample_patch_in_box)

__all__ = [
    'integer_box', 'paste_patch', 'sample_paste_box', 'sample_patch_in_box'
]
# DiLo
__all__ += [
    'blend_alpha', 'composite', 'cover_crop', 'gray_background', 'resize_mask'
]
