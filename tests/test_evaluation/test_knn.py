import math

import pytest
import torch

from mmfgssl.evaluation import leave_one_out_rank_k, weighted_knn_classify


def slow_weighted_knn(train, train_y, test, num_classes, k, t):
    """Loop-by-loop re-computation of the weighted kNN vote."""
    preds = []
    for q in test:
        q = q / q.norm()
        sims = [(float(q @ (x / x.norm())), int(y))
                for x, y in zip(train, train_y)]
        sims.sort(key=lambda s: -s[0])
        votes = [0.0] * num_classes
        for s, y in sims[:k]:
            votes[y] += math.exp(s / t)
        preds.append(max(range(num_classes), key=lambda c: votes[c]))
    return torch.tensor(preds)


def slow_rank_k(feats, labels, k):
    hits = 0
    n = len(feats)
    for i in range(n):
        sims = []
        for j in range(n):
            if j != i:
                cos = float(feats[i] @ feats[j] /
                            (feats[i].norm() * feats[j].norm()))
                sims.append((cos, int(labels[j])))
        sims.sort(key=lambda s: -s[0])
        hits += any(y == int(labels[i]) for _, y in sims[:k])
    return 100.0 * hits / n


@pytest.mark.parametrize('chunk_size', [3, 1024])
def test_weighted_knn_matches_slow_loop(chunk_size):
    g = torch.Generator().manual_seed(0)
    train = torch.randn(40, 8, generator=g)
    train_y = torch.randint(0, 5, (40, ), generator=g)
    test = torch.randn(17, 8, generator=g)
    pred = weighted_knn_classify(
        train, train_y, test, 5, k=7, temperature=0.1, chunk_size=chunk_size)
    assert torch.equal(pred, slow_weighted_knn(train, train_y, test, 5, 7,
                                               0.1))


def test_weighted_knn_finds_separated_clusters():
    centres = torch.eye(3) * 10
    train = centres.repeat_interleave(5, 0) + 0.1 * torch.randn(15, 3)
    train_y = torch.arange(3).repeat_interleave(5)
    test = centres + 0.1 * torch.randn(3, 3)
    pred = weighted_knn_classify(train, train_y, test, 3, k=50)
    assert pred.tolist() == [0, 1, 2]


@pytest.mark.parametrize('chunk_size', [4, 1024])
def test_rank_k_matches_slow_loop(chunk_size):
    g = torch.Generator().manual_seed(1)
    feats = torch.randn(23, 6, generator=g)
    labels = torch.randint(0, 4, (23, ), generator=g)
    got = leave_one_out_rank_k(feats, labels, ks=(1, 5), chunk_size=chunk_size)
    assert got[1] == pytest.approx(slow_rank_k(feats, labels, 1))
    assert got[5] == pytest.approx(slow_rank_k(feats, labels, 5))


def test_rank_k_excludes_the_query_itself():
    # every image is alone in its class: a query matching itself would
    # score 100 %, leave-one-out must give 0 %.
    feats = torch.randn(6, 4)
    assert leave_one_out_rank_k(feats, torch.arange(6), ks=(1, ))[1] == 0.0
