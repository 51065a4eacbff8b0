# Copyright (c) OpenMMLab. All rights reserved.
from . import hooks  # noqa: F401
from .hooks import KNNEvalHook

__all__ = ['KNNEvalHook']
