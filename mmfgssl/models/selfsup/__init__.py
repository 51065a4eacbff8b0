# Copyright (c) OpenMMLab. All rights reserved.
from .byol_gfb import BYOLGFB
from .cvsa import CVSA
from .gfb_mixin import GFBMixin
from .moco_gfb import MoCoGFB
from .npid import NPID

__all__ = ['BYOLGFB', 'GFBMixin', 'MoCoGFB', 'CVSA', 'NPID']
