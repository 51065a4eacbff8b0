# Copyright (c) OpenMMLab. All rights reserved.
from .contrastive_crop_hook import ContrastiveCropHook
from .knn_eval_hook import KNNEvalHook

__all__ = ['ContrastiveCropHook', 'KNNEvalHook']
