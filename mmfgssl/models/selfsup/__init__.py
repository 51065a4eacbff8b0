# Copyright (c) OpenMMLab. All rights reserved.
from .cvsa import CVSA

__all__ = ['CVSA']
