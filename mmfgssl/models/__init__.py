# Copyright (c) OpenMMLab. All rights reserved.
from . import heads, losses, necks, selfsup, utils  # noqa: F401
from .heads import GFBHead
from .losses import GradCAMKLLoss
from .necks import GFBWeightedPooling
from .selfsup import BYOLGFB, GFBMixin, MoCoGFB

__all__ = [
    'GFBHead', 'GradCAMKLLoss', 'GFBWeightedPooling', 'BYOLGFB', 'GFBMixin',
    'MoCoGFB'
]
