# Copyright (c) OpenMMLab. All rights reserved.
from .utils import feature_heatmaps, heatmaps_to_boxes

__all__ = ['feature_heatmaps', 'heatmaps_to_boxes']
