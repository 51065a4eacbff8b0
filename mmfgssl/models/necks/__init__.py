# Copyright (c) OpenMMLab. All rights reserved.
from .conv_nonlinear_neck import ConvNonLinearNeck
from .gfb_weighted_pooling import GFBWeightedPooling

__all__ = ['GFBWeightedPooling', 'ConvNonLinearNeck']
