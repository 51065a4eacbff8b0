# Copyright (c) OpenMMLab. All rights reserved.
"""Saliency maps and boxes without labels, shared by CVSA and DiLo."""
from .box_search import max_sum_subarray_2d, saliency_to_box
from .detectors import (SALIENCY_DETECTORS, background_prior_saliency,
                        compute_saliency, fine_grained_saliency,
                        spectral_residual_saliency, to_bgr)
from .mask import BINARIZE_METHODS, otsu_threshold, saliency_to_mask
from .saliency_box_source import SaliencyBoxSource
from .saliency_mask_source import SaliencyMaskSource

__all__ = [
    'SALIENCY_DETECTORS', 'SaliencyBoxSource', 'background_prior_saliency',
    'compute_saliency', 'fine_grained_saliency', 'max_sum_subarray_2d',
    'saliency_to_box', 'spectral_residual_saliency', 'to_bgr'
]
# DiLo's pixel-wise masks
__all__ += [
    'BINARIZE_METHODS', 'SaliencyMaskSource', 'otsu_threshold',
    'saliency_to_mask'
]
