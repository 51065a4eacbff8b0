# Copyright (c) OpenMMLab. All rights reserved.
from .gradcam_kl_loss import GradCAMKLLoss

__all__ = ['GradCAMKLLoss']
