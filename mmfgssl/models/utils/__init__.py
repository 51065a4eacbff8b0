# Copyright (c) OpenMMLab. All rights reserved.
from .cam import activation_cam, class_cam
from .gradcam_fitting import (gradcam_from_grad, gradcam_kl_div, maxout,
                              normalize_attention, spatial_log_softmax,
                              ssl_gradcam, weighted_pool)
from .heatmap_box import feature_heatmaps, heatmaps_to_boxes
from .saliency_alignment import (alignment_loss, correspondence,
                                 cross_view_attention, downsample_mask)

__all__ = [
    'activation_cam', 'class_cam', 'gradcam_from_grad', 'gradcam_kl_div',
    'maxout', 'normalize_attention', 'spatial_log_softmax', 'ssl_gradcam',
    'weighted_pool', 'feature_heatmaps', 'heatmaps_to_boxes', 'alignment_loss',
    'correspondence', 'cross_view_attention', 'downsample_mask'
]
