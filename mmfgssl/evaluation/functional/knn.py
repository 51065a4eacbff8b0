"""k-nearest-neighbour evaluation of frozen features.

Pure functions on L2-normalised feature matrices; the similarity matrix is
computed in row chunks so that tens of thousands of images never need an
N x N matrix in memory at once.
"""
from typing import Dict, Sequence, Union

import torch
import torch.nn.functional as F

__all__ = [
    'weighted_knn_classify', 'leave_one_out_rank_k', 'leave_one_out_retrieval'
]


def weighted_knn_classify(train_feats: torch.Tensor,
                          train_labels: torch.Tensor,
                          test_feats: torch.Tensor,
                          num_classes: int,
                          k: int = 20,
                          temperature: float = 0.07,
                          chunk_size: int = 1024) -> torch.Tensor:
    """Predict test labels by a similarity-weighted vote of the k nearest
    training features (Wu et al., "Unsupervised Feature Learning via
    Non-Parametric Instance Discrimination", CVPR 2018, Eq. 8).

    Each of the k neighbours (cosine similarity s) votes for its class with
    weight exp(s / temperature); the class with the largest sum wins.

    Args:
        train_feats (Tensor): N x C training features.
        train_labels (Tensor): N integer labels.
        test_feats (Tensor): M x C test features.
        num_classes (int): Number of classes.
        k (int): Number of neighbours (clipped to N). Defaults to 20.
        temperature (float): Softmax temperature of the vote. Defaults to 0.07.
        chunk_size (int): Test rows per similarity chunk. Defaults to 1024.

    Returns:
        Tensor: M predicted labels.
    """
    train_feats = F.normalize(train_feats.float(), dim=1)
    test_feats = F.normalize(test_feats.float(), dim=1)
    k = min(k, train_feats.size(0))
    preds = []
    for start in range(0, test_feats.size(0), chunk_size):
        sim = test_feats[start:start + chunk_size] @ train_feats.t()  # m x N
        top_sim, top_idx = sim.topk(k, dim=1)  # m x k
        votes = torch.zeros(sim.size(0), num_classes)  # m x num_classes
        votes.scatter_add_(1, train_labels[top_idx],
                           (top_sim / temperature).exp())
        preds.append(votes.argmax(dim=1))
    return torch.cat(preds)


def leave_one_out_rank_k(feats: torch.Tensor,
                         labels: torch.Tensor,
                         ks: Sequence[int] = (1, 5),
                         chunk_size: int = 1024) -> Dict[int, float]:
    """Retrieval rank-k accuracy with every image as a query and all other
    images as the gallery (the protocol of LCR, CVPR 2023, section 4.2).

    A query counts as correct at rank k when one of its k most cosine-similar
    gallery images has its class (ties: see :func:`leave_one_out_retrieval`,
    which also gives the mAP).

    Args:
        feats (Tensor): N x C features.
        labels (Tensor): N integer labels.
        ks (Sequence[int]): The ranks to report. Defaults to (1, 5).
        chunk_size (int): Query rows per similarity chunk. Defaults to 1024.

    Returns:
        dict: ``{k: accuracy in percent}``.
    """
    out = leave_one_out_retrieval(feats, labels, ks, chunk_size)
    return {k: out[f'rank{k}'] for k in ks}


def leave_one_out_retrieval(
        feats: torch.Tensor,
        labels: torch.Tensor,
        ks: Sequence[int] = (1, 5),
        chunk_size: int = 256) -> Dict[str, Union[float, int]]:
    """Leave-one-out retrieval rank-k and mAP over the full ranking (LCR,
    CVPR 2023, section 4.2 and its code's ``validate``).

    Every image is a query; the gallery is all other images, ranked by cosine
    similarity. A gallery image is relevant when it has the query's class.

    - rank-k: the fraction of queries with a relevant image among the first
      k of the ranking. A query whose class has no other image can never hit
      and counts as a miss.
    - mAP: the mean over queries of ``AP = mean over the relevant images of
      (relevant images up to its position) / its position``, over the whole
      ranking (no top-k cut-off). A query without any relevant gallery image
      has no AP; such queries are left out of the mean and counted in
      ``num_no_positive``.
    - Ties: gallery images of equal similarity are ranked by their index in
      ``feats`` (earlier first), so results are deterministic.

    mmpretrain's ``RetrievalRecall`` / ``RetrievalAveragePrecision`` score
    a retrieval against a separate gallery and cut the ranking at top-k, so
    their mAP is not this one.

    The similarity matrix is built ``chunk_size`` query rows at a time (a
    chunk holds ``chunk_size x N`` similarities and their sort order), so
    memory grows linearly with N.

    Args:
        feats (Tensor): N x C features.
        labels (Tensor): N integer labels.
        ks (Sequence[int]): The ranks to report. Defaults to (1, 5).
        chunk_size (int): Query rows per chunk. Defaults to 256.

    Returns:
        dict: ``'rank{k}'`` for each k and ``'mAP'``, in percent, and
        ``'num_no_positive'``.
    """
    num = feats.size(0)
    if num < 2:
        raise ValueError(f'leave-one-out retrieval needs >= 2 images, got '
                         f'{num}')
    if labels.shape != (num, ):
        raise ValueError(f'labels {tuple(labels.shape)} do not match '
                         f'{num} features')
    feats = F.normalize(feats.float(), dim=1)
    labels = labels.long()
    hits = {k: 0 for k in ks}
    ap_sum, num_ap = 0.0, 0
    positions = torch.arange(1, num, dtype=torch.float64)  # 1 .. N-1
    for start in range(0, num, chunk_size):
        sim = feats[start:start + chunk_size] @ feats.t()  # m x N
        rows = torch.arange(sim.size(0))
        sim[rows, rows + start] = float('-inf')  # the query is not gallery
        # stable: ties keep the index order; the query itself sorts last
        order = sim.sort(dim=1, descending=True, stable=True).indices
        order = order[:, :-1]  # m x (N - 1), the ranked gallery
        rel = labels[order] == labels[start:start + sim.size(0), None]
        for k in ks:
            hits[k] += int(rel[:, :k].any(dim=1).sum())
        rel = rel.double()  # m x (N - 1)
        num_rel = rel.sum(dim=1)  # m
        precision = rel.cumsum(dim=1) / positions  # m x (N - 1)
        has_rel = num_rel > 0
        ap = (precision * rel).sum(dim=1)[has_rel] / num_rel[has_rel]
        ap_sum += float(ap.sum())
        num_ap += int(has_rel.sum())
    out = {f'rank{k}': 100.0 * hits[k] / num for k in ks}
    out['mAP'] = 100.0 * ap_sum / num_ap if num_ap else 0.0
    out['num_no_positive'] = num - num_ap
    return out
