# Copyright (c) OpenMMLab. All rights reserved.
from . import classifiers, heads, losses, necks, selfsup, utils  # noqa: F401
from .classifiers import CAMClassifier
from .heads import GFBHead
from .losses import GradCAMKLLoss
from .necks import GFBWeightedPooling
from .selfsup import BYOLGFB, GFBMixin, MoCoGFB

__all__ = [
    'CAMClassifier', 'GFBHead', 'GradCAMKLLoss', 'GFBWeightedPooling',
    'BYOLGFB', 'GFBMixin', 'MoCoGFB'
]
