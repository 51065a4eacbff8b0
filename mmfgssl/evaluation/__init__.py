from .frozen_features import (build_eval_loader, build_eval_preprocessor,
                              build_frozen_backbone, extract_features,
                              knn_and_retrieval)
from .functional import (activation_maps, box_energy_share, cam_max_box_acc,
                         correspondence_mask_agreement, leave_one_out_rank_k,
                         leave_one_out_retrieval, mask_energy_share,
                         max_box_acc, rescale_boxes, weighted_knn_classify)
from .localization_eval import evaluate_localization, gfb_attention_fn
from .metrics import LeaveOneOutRetrieval, MaxBoxAcc

__all__ = [
    'weighted_knn_classify', 'leave_one_out_rank_k', 'leave_one_out_retrieval',
    'max_box_acc', 'LeaveOneOutRetrieval', 'MaxBoxAcc', 'build_eval_loader',
    'build_eval_preprocessor', 'build_frozen_backbone', 'extract_features',
    'knn_and_retrieval', 'activation_maps', 'box_energy_share',
    'cam_max_box_acc', 'correspondence_mask_agreement', 'mask_energy_share',
    'rescale_boxes', 'evaluate_localization', 'gfb_attention_fn'
]
