# Copyright (c) OpenMMLab. All rights reserved.
from .gradcam_fitting import (gradcam_from_grad, gradcam_kl_div, maxout,
                              normalize_attention, spatial_log_softmax,
                              ssl_gradcam, weighted_pool)

__all__ = [
    'gradcam_from_grad', 'gradcam_kl_div', 'maxout', 'normalize_attention',
    'spatial_log_softmax', 'ssl_gradcam', 'weighted_pool'
]
