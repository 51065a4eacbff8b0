# Copyright (c) OpenMMLab. All rights reserved.
from .conv_nonlinear_neck import ConvNonLinearNeck

__all__ = ['ConvNonLinearNeck']
