# Copyright (c) OpenMMLab. All rights reserved.
from .bind_train_set_hook import BindTrainSetHook
from .contrastive_crop_hook import (ContrastiveCropHook, ccrop_update_epochs,
                                    find_contrastive_crops)
from .knn_eval_hook import KNNEvalHook

__all__ = [
    'BindTrainSetHook', 'ContrastiveCropHook', 'KNNEvalHook',
    'ccrop_update_epochs', 'find_contrastive_crops'
]
