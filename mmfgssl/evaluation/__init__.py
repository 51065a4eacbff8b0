from .frozen_features import (build_eval_loader, build_eval_preprocessor,
                              build_frozen_backbone, extract_features,
                              knn_and_retrieval)
from .functional import (leave_one_out_rank_k, leave_one_out_retrieval,
                         max_box_acc, weighted_knn_classify)
from .metrics import LeaveOneOutRetrieval, MaxBoxAcc

__all__ = [
    'weighted_knn_classify', 'leave_one_out_rank_k', 'leave_one_out_retrieval',
    'max_box_acc', 'LeaveOneOutRetrieval', 'MaxBoxAcc', 'build_eval_loader',
    'build_eval_preprocessor', 'build_frozen_backbone', 'extract_features',
    'knn_and_retrieval'
]
