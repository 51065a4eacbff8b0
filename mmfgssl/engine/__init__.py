# Copyright (c) OpenMMLab. All rights reserved.
from . import hooks  # noqa: F401
from .hooks import ContrastiveCropHook, KNNEvalHook

__all__ = ['ContrastiveCropHook', 'KNNEvalHook']
