# Copyright (c) OpenMMLab. All rights reserved.
from .gfb_head import GFBHead

__all__ = ['GFBHead']
