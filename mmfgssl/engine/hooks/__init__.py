# Copyright (c) OpenMMLab. All rights reserved.
from .knn_eval_hook import KNNEvalHook

__all__ = ['KNNEvalHook']
