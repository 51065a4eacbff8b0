# Copyright (c) OpenMMLab. All rights reserved.
from .saliency_swap import (integer_box, paste_patch, sample_paste_box,
                            sample_patch_in_box)

__all__ = [
    'integer_box', 'paste_patch', 'sample_paste_box', 'sample_patch_in_box'
]
