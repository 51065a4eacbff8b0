# Copyright (c) OpenMMLab. All rights reserved.
from . import heads, losses, necks, selfsup, utils  # noqa: F401
from .heads import GFBHead
from .losses import GradCAMKLLoss
from .necks import GFBWeightedPooling
from .selfsup import BYOLGFB, GFBMixin, MoCoGFB
from .utils import feature_heatmaps, heatmaps_to_boxes

__all__ = [
    'GFBHead', 'GradCAMKLLoss', 'GFBWeightedPooling', 'BYOLGFB', 'GFBMixin',
    'MoCoGFB', 'feature_heatmaps', 'heatmaps_to_boxes'
]
