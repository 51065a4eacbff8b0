# Copyright (c) OpenMMLab. All rights reserved.
"""Leave-one-out retrieval (LCR section 4.2): rank-k and full-ranking mAP."""
import pytest
import torch

from mmfgssl.evaluation import LeaveOneOutRetrieval, leave_one_out_retrieval

# Five 2-d features and their classes, worked out by hand below.
#   f0 = (1, 0) A    f1 = (1, 0) B    f2 = (.8, .6) A    f3 = (0, 1) B
#   f4 = (-1, 0) C   (C has a single image)
HAND_FEATS = torch.tensor([[1., 0.], [1., 0.], [.8, .6], [0., 1.], [-1., 0.]])
HAND_LABELS = torch.tensor([0, 1, 0, 1, 2])
# Rankings (cosine, ties by index, earlier first):
#   q0: f1 1, f2 .8, f3 0, f4 -1        -> first relevant at 2, AP 1/2
#   q1: f0 1, f2 .8, f3 0, f4 -1        -> first relevant at 3, AP 1/3
#   q2: f0 .8, f1 .8 (tie), f3 .6, f4   -> relevant at 1,       AP 1
#   q3: f2 .6, f0 0, f1 0, f4 0 (ties)  -> relevant at 3,       AP 1/3
#   q4: f3 0, f2 -.8, f0 -1, f1 -1      -> no relevant image: a miss, no AP
HAND_EXPECTED = {
    'rank1': 100 * 1 / 5,
    'rank2': 100 * 2 / 5,
    'rank5': 100 * 4 / 5,
    'mAP': 100 * (1 / 2 + 1 / 3 + 1 + 1 / 3) / 4,
    'num_no_positive': 1,
}


@pytest.mark.parametrize('chunk_size', [1, 2, 256])
def test_hand_made_features_with_ties_and_a_single_image_class(chunk_size):
    got = leave_one_out_retrieval(
        HAND_FEATS, HAND_LABELS, ks=(1, 2, 5), chunk_size=chunk_size)
    assert got.keys() == HAND_EXPECTED.keys()
    for key, value in HAND_EXPECTED.items():
        assert got[key] == pytest.approx(value), key


def test_tie_rule_is_index_order():
    # f0 and f1 swapped: g0 = (1, 0) B, g1 = (1, 0) A. Now q2's tied
    # neighbours are g0 (B) before g1 (A): q2 misses at rank 1, AP 1/2.
    #   q0 (B): g1 A, g2 A, g3 B          -> AP 1/3
    #   q1 (A): g0 B, g2 A                -> AP 1/2
    #   q2 (A): g0 B, g1 A (tie)          -> AP 1/2
    #   q3 (B): g2 A, g0 B, g1, g4 (ties) -> AP 1/2
    perm = [1, 0, 2, 3, 4]
    got = leave_one_out_retrieval(HAND_FEATS[perm], HAND_LABELS[perm])
    assert got['rank1'] == 0.0
    assert got['mAP'] == pytest.approx(100 * (1 / 3 + 3 / 2) / 4)


def slow_retrieval(feats, labels, ks):
    """Python loops: sort the gallery of each query, then count."""
    n = len(feats)
    unit = [f / f.norm() for f in feats]
    hits = {k: 0 for k in ks}
    aps = []
    for i in range(n):
        gallery = [(-float(unit[i] @ unit[j]), j) for j in range(n) if j != i]
        gallery.sort()  # by similarity, then index
        rel = [int(labels[j]) == int(labels[i]) for _, j in gallery]
        for k in ks:
            hits[k] += any(rel[:k])
        if any(rel):
            found, precisions = 0, []
            for pos, r in enumerate(rel, start=1):
                if r:
                    found += 1
                    precisions.append(found / pos)
            aps.append(sum(precisions) / len(precisions))
    out = {f'rank{k}': 100 * hits[k] / n for k in ks}
    out['mAP'] = 100 * sum(aps) / len(aps)
    out['num_no_positive'] = n - len(aps)
    return out


@pytest.mark.parametrize('chunk_size', [5, 1000])
def test_matches_slow_loops_on_random_features(chunk_size):
    g = torch.Generator().manual_seed(0)
    feats = torch.randn(37, 8, generator=g)
    labels = torch.randint(0, 6, (37, ), generator=g)
    labels[0] = 99  # a class with a single image
    got = leave_one_out_retrieval(feats, labels, (1, 5), chunk_size)
    want = slow_retrieval(feats, labels, (1, 5))
    assert got['num_no_positive'] == want['num_no_positive'] == 1
    for key in ('rank1', 'rank5', 'mAP'):
        assert got[key] == pytest.approx(want[key]), key


def test_perfectly_separated_classes_score_100():
    feats = torch.eye(3).repeat_interleave(4, 0) + 0.01 * torch.rand(12, 3)
    labels = torch.arange(3).repeat_interleave(4)
    got = leave_one_out_retrieval(feats, labels)
    assert got['rank1'] == got['rank5'] == got['mAP'] == pytest.approx(100)


def test_bad_input_is_an_error():
    with pytest.raises(ValueError, match='>= 2 images'):
        leave_one_out_retrieval(torch.ones(1, 3), torch.zeros(1))
    with pytest.raises(ValueError, match='labels'):
        leave_one_out_retrieval(torch.ones(3, 3), torch.zeros(2))


def test_metric_gathers_samples_and_reports_prefixed_numbers():
    metric = LeaveOneOutRetrieval(topk=(1, 2, 5), chunk_size=2)
    samples = [
        dict(pred_feat=f, gt_label=torch.tensor([int(y)]))
        for f, y in zip(HAND_FEATS, HAND_LABELS)
    ]
    metric.process(None, samples[:3])
    metric.process(None, samples[3:])
    got = metric.evaluate(5)
    assert got == pytest.approx({
        f'retrieval/{k}': v
        for k, v in HAND_EXPECTED.items() if k != 'num_no_positive'
    })


def test_metric_names_the_missing_field():
    metric = LeaveOneOutRetrieval()
    with pytest.raises(KeyError, match='pred_feat'):
        metric.process(None, [dict(gt_label=torch.tensor([0]))])
    with pytest.raises(ValueError, match='topk'):
        LeaveOneOutRetrieval(topk=(0, ))
