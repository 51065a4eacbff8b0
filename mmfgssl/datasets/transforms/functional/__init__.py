# Copyright (c) OpenMMLab. All rights reserved.
from .contrastive_crop import (clamp_crop, contrastive_crop_params,
                               is_whole_image, sample_centre_in_box,
                               sample_crop_size)

__all__ = [
    'clamp_crop', 'contrastive_crop_params', 'is_whole_image',
    'sample_centre_in_box', 'sample_crop_size'
]
