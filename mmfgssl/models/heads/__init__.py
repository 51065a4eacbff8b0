# Copyright (c) OpenMMLab. All rights reserved.
from .saliency_align_head import SaliencyAlignHead

__all__ = ['SaliencyAlignHead']
