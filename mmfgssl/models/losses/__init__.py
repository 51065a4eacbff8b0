# Copyright (c) OpenMMLab. All rights reserved.
from .saliency_align_loss import SaliencyAlignLoss

__all__ = ['SaliencyAlignLoss']
