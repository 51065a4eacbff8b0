# Copyright (c) OpenMMLab. All rights reserved.
from .gfb_head import GFBHead
from .saliency_align_head import SaliencyAlignHead

__all__ = ['GFBHead', 'SaliencyAlignHead']
