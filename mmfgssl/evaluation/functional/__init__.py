from .knn import (leave_one_out_rank_k, leave_one_out_retrieval,
                  weighted_knn_classify)

__all__ = [
    'weighted_knn_classify', 'leave_one_out_rank_k', 'leave_one_out_retrieval'
]
