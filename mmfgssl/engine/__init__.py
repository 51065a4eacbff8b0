# Copyright (c) OpenMMLab. All rights reserved.
from .hooks import ContrastiveCropHook

__all__ = ['ContrastiveCropHook']
