# Copyright (c) OpenMMLab. All rights reserved.
from . import heads, losses, selfsup, utils  # noqa: F401  (registers modules)
from .heads import GFBHead
from .losses import GradCAMKLLoss
from .selfsup import BYOLGFB, GFBMixin, MoCoGFB

__all__ = ['GFBHead', 'GradCAMKLLoss', 'BYOLGFB', 'GFBMixin', 'MoCoGFB']
