# Copyright (c) OpenMMLab. All rights reserved.
from typing import List, Optional, Sequence

import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmpretrain.registry import METRICS

from ..functional import leave_one_out_retrieval


@METRICS.register_module()
class LeaveOneOutRetrieval(BaseMetric):
    """Leave-one-out retrieval of LCR (CVPR 2023, section 4.2): rank-k and
    mAP over the full ranking, cosine similarity, every image of the split
    a query against all the others.

    See :func:`mmfgssl.evaluation.functional.leave_one_out_retrieval` for the
    exact definitions (queries whose class has no other image: a rank-k
    miss, left out of mAP; ties: earlier index first). This is not
    mmpretrain's ``RetrievalRecall`` / ``RetrievalAveragePrecision``, which
    rank a separate gallery (prototype set) and compute a top-k mAP.

    The model's ``test_step`` must give each sample a feature vector under
    ``feat_key`` (the GFB algorithms put their :meth:`extract_feat` vector
    in ``pred_feat``) and its ``gt_label``.

    Args:
        topk (Sequence[int]): The ranks reported. Defaults to (1, 5).
        chunk_size (int): Queries per similarity chunk. Defaults to 256.
        feat_key (str): The sample field holding the feature. Defaults to
            ``'pred_feat'``.
        collect_device (str): Device to gather results across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): Metric name prefix. Defaults to
            ``'retrieval'``.
    """
    default_prefix: Optional[str] = 'retrieval'

    def __init__(self,
                 topk: Sequence[int] = (1, 5),
                 chunk_size: int = 256,
                 feat_key: str = 'pred_feat',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        topk = (topk, ) if isinstance(topk, int) else tuple(topk)
        if not topk or any(k < 1 for k in topk):
            raise ValueError(f'LeaveOneOutRetrieval: topk must be positive '
                             f'integers, got {topk}')
        self.topk = topk
        self.chunk_size = chunk_size
        self.feat_key = feat_key

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep every sample's feature and label (on the CPU)."""
        for sample in data_samples:
            if self.feat_key not in sample:
                raise KeyError(
                    f'LeaveOneOutRetrieval: the sample has no '
                    f'"{self.feat_key}" (keys: {sorted(sample)}); use a model '
                    'whose test_step stores its feature there (MoCoGFB, '
                    'BYOLGFB) or set feat_key')
            if 'gt_label' not in sample:
                raise KeyError('LeaveOneOutRetrieval: the sample has no '
                               '"gt_label"; evaluate a labelled split')
            self.results.append(
                dict(
                    feat=sample[self.feat_key].detach().float().cpu(),
                    label=int(torch.as_tensor(sample['gt_label']).item())))

    def compute_metrics(self, results: List[dict]) -> dict:
        """rank-k and mAP, in percent, of all gathered samples."""
        feats = torch.stack([r['feat'] for r in results])  # N x C
        labels = torch.tensor([r['label'] for r in results])  # N
        out = leave_one_out_retrieval(feats, labels, self.topk,
                                      self.chunk_size)
        num_no_positive = out.pop('num_no_positive')
        if num_no_positive:
            MMLogger.get_current_instance().warning(
                f'LeaveOneOutRetrieval: {num_no_positive} of {len(results)} '
                'queries have no other image of their class: rank-k misses, '
                'left out of mAP')
        return out
