"""k-nearest-neighbour evaluation of frozen features.

Pure functions on L2-normalised feature matrices; the similarity matrix is
computed in row chunks so that tens of thousands of images never need an
N x N matrix in memory at once.
"""
from typing import Dict, Sequence

import torch
import torch.nn.functional as F

__all__ = ['weighted_knn_classify', 'leave_one_out_rank_k']


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
    gallery images has its class.

    Args:
        feats (Tensor): N x C features.
        labels (Tensor): N integer labels.
        ks (Sequence[int]): The ranks to report. Defaults to (1, 5).
        chunk_size (int): Query rows per similarity chunk. Defaults to 1024.

    Returns:
        dict: ``{k: accuracy in percent}``.
    """
    feats = F.normalize(feats.float(), dim=1)
    max_k = min(max(ks), feats.size(0) - 1)
    hits = {k: 0 for k in ks}
    for start in range(0, feats.size(0), chunk_size):
        sim = feats[start:start + chunk_size] @ feats.t()  # m x N
        rows = torch.arange(sim.size(0))
        sim[rows, rows + start] = float('-inf')  # the query is not gallery
        top_idx = sim.topk(max_k, dim=1).indices  # m x max_k
        same = labels[top_idx] == labels[start:start + sim.size(0), None]
        for k in ks:
            hits[k] += int(same[:, :k].any(dim=1).sum())
    return {k: 100.0 * hits[k] / feats.size(0) for k in ks}
