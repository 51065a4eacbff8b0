# Copyright (c) OpenMMLab. All rights reserved.
"""Saliency maps and boxes without labels, shared by CVSA and DiLo."""
from .box_search import max_sum_subarray_2d, saliency_to_box
from .detectors import (SALIENCY_DETECTORS, background_prior_saliency,
                        compute_saliency, fine_grained_saliency,
                        spectral_residual_saliency, to_bgr)
from .saliency_box_source import SaliencyBoxSource

__all__ = [
    'SALIENCY_DETECTORS', 'SaliencyBoxSource', 'background_prior_saliency',
    'compute_saliency', 'fine_grained_saliency', 'max_sum_subarray_2d',
    'saliency_to_box', 'spectral_residual_saliency', 'to_bgr'
]
