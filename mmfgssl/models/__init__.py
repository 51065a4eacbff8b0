# Copyright (c) OpenMMLab. All rights reserved.
from .heads import SaliencyAlignHead
from .losses import SaliencyAlignLoss
from .necks import ConvNonLinearNeck
from .selfsup import CVSA

__all__ = [
    'CVSA', 'ConvNonLinearNeck', 'SaliencyAlignHead', 'SaliencyAlignLoss'
]
