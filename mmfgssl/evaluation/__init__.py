from .functional import leave_one_out_rank_k, weighted_knn_classify

__all__ = ['weighted_knn_classify', 'leave_one_out_rank_k']
