# Copyright (c) OpenMMLab. All rights reserved.
from .cam import activation_cam, class_cam
from .gradcam_fitting import (gradcam_from_grad, gradcam_kl_div, maxout,
                              normalize_attention, spatial_log_softmax,
                              ssl_gradcam, weighted_pool)

__all__ = [
    'activation_cam', 'class_cam', 'gradcam_from_grad', 'gradcam_kl_div',
    'maxout', 'normalize_attention', 'spatial_log_softmax', 'ssl_gradcam',
    'weighted_pool'
]
