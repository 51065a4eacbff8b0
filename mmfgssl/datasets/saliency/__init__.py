# Copyright (c) OpenMMLab. All rights reserved.
"""Saliency maps and boxes without labels, shared by CVSA and DiLo."""
from .box_search import max_sum_subarray_2d, saliency_to_box
from .detectors import (SALIENCY_DETECTORS, absorbed_time,
                        background_prior_saliency, compute_saliency,
                        fine_grained_saliency, geodesic_saliency,
                        geodesic_to_border, markov_saliency,
                        spectral_residual_saliency, superpixel_graph, to_bgr)
from .mask import BINARIZE_METHODS, otsu_threshold, saliency_to_mask
from .minmax import minmax_normalize
from .saliency_box_source import SaliencyBoxSource
from .saliency_file import mirrored_path, read_saliency_file
from .saliency_mask_source import SaliencyMaskSource

__all__ = [
    'BINARIZE_METHODS', 'SALIENCY_DETECTORS', 'SaliencyBoxSource',
    'absorbed_time', 'geodesic_saliency', 'geodesic_to_border',
    'markov_saliency', 'superpixel_graph', 'SaliencyMaskSource',
    'background_prior_saliency', 'compute_saliency', 'fine_grained_saliency',
    'max_sum_subarray_2d', 'minmax_normalize', 'mirrored_path',
    'otsu_threshold', 'read_saliency_file', 'saliency_to_box',
    'saliency_to_mask', 'spectral_residual_saliency', 'to_bgr'
]
