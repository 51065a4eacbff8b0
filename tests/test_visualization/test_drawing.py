"""find_view_annotations picks what a view pipeline drew, and where."""
import numpy as np

from mmfgssl.visualization import find_view_annotations


def test_annotations_of_a_view():
    before = dict(
        img=np.zeros((20, 30, 3), np.uint8),
        gt_bboxes=np.array([[1., 2., 10., 12.]], np.float32),
        old_mask=np.ones((8, 8)))
    mask = np.zeros((8, 8))
    mask[2:5, 3:6] = 1
    after = dict(
        img=np.zeros((8, 8, 3), np.uint8),
        gt_bboxes=np.array([[20., 2., 29., 12.]], np.float32),  # flipped
        old_mask=np.ones((8, 8)),  # untouched by the view pipeline
        saliency_mask=mask,
        ccrop_box=np.array([0.1, 0.2, 0.7, 0.9]),
        paste_bbox=np.array([[1., 1., 6., 7.]]),
        gt_label=3)
    found = find_view_annotations(before, after)
    assert [k for k, _ in found['masks']] == ['saliency_mask']
    assert np.array_equal(found['masks'][0][1], mask > 0)
    assert [k for k, _ in found['original_boxes']] == ['ccrop_box']
    assert found['original_boxes'][0][1].shape == (1, 4)
    assert [k for k, _ in found['view_boxes']] == ['paste_bbox']


def test_mask_of_another_size_is_not_drawn():
    after = dict(img=np.zeros((8, 8, 3)), saliency_mask=np.ones((5, 5)))
    assert find_view_annotations({}, after)['masks'] == []


def test_gt_bboxes_only_when_a_box_aware_crop_wrote_them():
    before = dict(
        img=np.zeros((20, 20, 3)), gt_bboxes=np.array([[1., 1., 5., 5.]]))
    after = dict(
        img=np.zeros((8, 8, 3)),
        gt_bboxes=np.array([[2., 2., 6., 6.]]),  # e.g. SaliencySwap's paste
        gt_seg_map=np.ones((8, 8)))
    plain = find_view_annotations(before, after)
    assert plain['view_boxes'] == []
    assert [k for k, _ in plain['masks']] == ['gt_seg_map']
    aware = find_view_annotations(before, after, gt_bboxes_in_view=True)
    assert [k for k, _ in aware['view_boxes']] == ['gt_bboxes']
