# Copyright (c) OpenMMLab. All rights reserved.
from .contrastive_crop import (clamp_crop, contrastive_crop_params,
                               is_whole_image, sample_centre_in_box,
                               sample_crop_size)
from .saliency_swap import (integer_box, paste_patch, sample_paste_box,
                            sample_patch_in_box)

__all__ = [
    'clamp_crop', 'contrastive_crop_params', 'is_whole_image',
    'sample_centre_in_box', 'sample_crop_size', 'integer_box', 'paste_patch',
    'sample_paste_box', 'sample_patch_in_box'
]
