# Copyright (c) OpenMMLab. All rights reserved.
from .atomic_checkpoint_hook import AtomicCheckpointHook, atomic_write_text
from .bind_train_set_hook import BindTrainSetHook
from .contrastive_crop_hook import ContrastiveCropHook
from .contrastive_crop_utils import (attach_box_table, ccrop_update_epochs,
                                     find_contrastive_crops)
from .knn_eval_hook import KNNEvalHook
from .random_state_hook import (RandomStateHook, get_random_state,
                                set_random_state)

__all__ = [
    'AtomicCheckpointHook', 'BindTrainSetHook', 'ContrastiveCropHook',
    'KNNEvalHook', 'attach_box_table', 'ccrop_update_epochs',
    'find_contrastive_crops', 'atomic_write_text', 'RandomStateHook',
    'get_random_state', 'set_random_state'
]
