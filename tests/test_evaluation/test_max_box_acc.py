"""MaxBoxAcc on hand-made CAMs and boxes with known answers."""
import numpy as np
import pytest
import torch
from mmpretrain.registry import METRICS

import mmfgssl  # noqa: F401
from mmfgssl.evaluation.functional import (box_hits, box_iou,
                                           largest_component_box, max_box_acc)

THRESHOLDS = [0.0, 0.25, 0.5, 0.75]


def hand_made():
    """Three 10 x 10 CAMs with their boxes; hits worked out by hand."""
    # A: the object blob (1.0) is smaller than a weak distractor strip
    # (0.4, 20 px): at t < 0.4 the strip is the largest region -> miss;
    # at t >= 0.4 only the object remains -> exact box, hit.
    a = np.zeros((10, 10))
    a[2:6, 2:6] = 1.0
    a[:, 8:10] = 0.4
    a_box = np.array([[2., 2., 6., 6.]])
    # B: the object is 4 x 4 at 0.5 with a 2 x 2 core at 1.0: low
    # thresholds give the whole 4 x 4 (IoU 1), t >= 0.5 only the core
    # (IoU 4 / 16 = 0.25) -> miss.
    b = np.zeros((10, 10))
    b[0:4, 0:4] = 0.5
    b[0:2, 0:2] = 1.0
    b_box = np.array([[0., 0., 4., 4.]])
    # C: the object (5 x 5 at 0.3) and a single hot pixel (1.0): hit while
    # t < 0.3, then only the pixel is left -> miss.
    c = np.zeros((10, 10))
    c[0:5, 5:10] = 0.3
    c[9, 0] = 1.0
    c_box = np.array([[5., 0., 10., 5.]])
    return [a, b, c], [a_box, b_box, c_box]


def test_hits_per_threshold():
    cams, boxes = hand_made()
    assert box_hits(cams[0], boxes[0],
                    THRESHOLDS).tolist() == [False, False, True, True]
    assert box_hits(cams[1], boxes[1],
                    THRESHOLDS).tolist() == [True, True, False, False]
    assert box_hits(cams[2], boxes[2],
                    THRESHOLDS).tolist() == [True, True, False, False]


def test_max_box_acc_known_value():
    cams, boxes = hand_made()
    out = max_box_acc(cams, boxes, THRESHOLDS)
    # per threshold: 2/3, 2/3, 1/3, 1/3
    assert np.allclose(out['accuracies'], [200 / 3, 200 / 3, 100 / 3, 100 / 3])
    assert out['max_box_acc'] == pytest.approx(200 / 3)
    assert out['best_threshold'] == 0.0
    # the CAM scale does not matter (min-max normalised)
    scaled = max_box_acc([5 * c + 2 for c in cams], boxes, THRESHOLDS)
    assert scaled['max_box_acc'] == pytest.approx(200 / 3)


def test_largest_component_is_eight_connected():
    mask = np.zeros((6, 6), bool)
    mask[[0, 1, 2, 3], [0, 1, 2, 3]] = True  # a diagonal: one region
    mask[5, 5] = mask[5, 4] = True  # 2 px, another region
    mask[0, 5] = mask[1, 5] = mask[2, 5] = True  # 3 px column
    assert largest_component_box(mask).tolist() == [0, 0, 4, 4]
    assert largest_component_box(np.zeros((3, 3), bool)) is None


def test_box_iou_hand_values():
    box = np.array([0., 0., 4., 4.])
    gts = np.array([[0., 0., 4., 4.], [2., 2., 6., 6.], [4., 4., 8., 8.],
                    [0., 0., 2., 2.]])
    # identical; 4 / (16 + 16 - 4); touching only; contained 4 / 16
    assert np.allclose(box_iou(box, gts), [1., 4 / 28, 0., 0.25])


def test_multiple_gt_boxes_take_the_best():
    cam = np.zeros((8, 8))
    cam[4:8, 4:8] = 1.
    boxes = np.array([[0., 0., 4., 4.], [4., 4., 8., 8.]])
    assert box_hits(cam, boxes, [0.5]).tolist() == [True]
    assert box_hits(cam, boxes[:1], [0.5]).tolist() == [False]


def test_metric_on_data_samples():
    cams, boxes = hand_made()
    metric = METRICS.build(dict(type='MaxBoxAcc', cam_curve_interval=0.25))
    samples = [
        dict(
            cam=torch.tensor(c, dtype=torch.float32),
            gt_bboxes=torch.tensor(b),
            img_shape=(10, 10)) for c, b in zip(cams, boxes)
    ]
    metric.process(None, samples)
    out = metric.evaluate(3)
    assert out['loc/MaxBoxAcc'] == pytest.approx(200 / 3)
    assert out['loc/best_threshold'] == 0.0


def test_metric_upsamples_the_cam():
    # a 2 x 2 CAM with one hot cell covers the top-left quarter of a
    # 20 x 20 image after bilinear upsampling; the box is that quarter
    metric = METRICS.build(dict(type='MaxBoxAcc'))
    cam = torch.tensor([[1., 0.], [0., 0.]])
    metric.process(None, [
        dict(
            cam=cam,
            gt_bboxes=torch.tensor([[0., 0., 10., 10.]]),
            img_shape=(20, 20))
    ])
    assert metric.evaluate(1)['loc/MaxBoxAcc'] == 100.0


def test_metric_names_missing_keys():
    metric = METRICS.build(dict(type='MaxBoxAcc'))
    with pytest.raises(KeyError, match='gt_bboxes'):
        metric.process(None, [dict(cam=torch.zeros(2, 2), img_shape=(4, 4))])
