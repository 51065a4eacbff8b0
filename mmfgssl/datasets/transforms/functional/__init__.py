# Copyright (c) OpenMMLab. All rights reserved.
from .contrastive_crop import (PLACEMENTS, WHOLE_IMAGE_CROPS, centre_in_box,
                               clamp_crop, contrastive_crop_params,
                               corner_range, is_whole_image,
                               sample_corner_in_range, sample_crop_size)
from .copy_paste import (blend_alpha, composite, cover_crop, gray_background,
                         resize_mask)
from .saliency_swap import (check_area_range, integer_box, paste_patch,
                            sample_paste_box, sample_patch_in_box)

__all__ = [
    'PLACEMENTS', 'WHOLE_IMAGE_CROPS', 'clamp_crop', 'contrastive_crop_params',
    'corner_range', 'is_whole_image', 'centre_in_box',
    'sample_corner_in_range', 'sample_crop_size', 'blend_alpha', 'composite',
    'cover_crop', 'gray_background', 'resize_mask', 'check_area_range',
    'integer_box', 'paste_patch', 'sample_paste_box', 'sample_patch_in_box'
]
