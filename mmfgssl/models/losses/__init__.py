# Copyright (c) OpenMMLab. All rights reserved.
from .gradcam_kl_loss import GradCAMKLLoss
from .saliency_align_loss import SaliencyAlignLoss

__all__ = ['GradCAMKLLoss', 'SaliencyAlignLoss']
