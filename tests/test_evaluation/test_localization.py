"""Localisation metrics against slow loop re-computations and hand cases."""
import math
import types

import numpy as np
import pytest
import torch

import mmfgssl  # noqa: F401
from mmfgssl.evaluation import (activation_maps, box_energy_share,
                                build_eval_loader, cam_max_box_acc,
                                correspondence_mask_agreement,
                                evaluate_localization, gfb_attention_fn,
                                mask_energy_share, max_box_acc, rescale_boxes)

# ---------------------------------------------------------------- slow loops


def slow_channel_mean(feats):
    b, c, h, w = feats.shape
    out = torch.zeros(b, h, w, dtype=torch.float64)
    for n in range(b):
        for i in range(h):
            for j in range(w):
                total = sum(float(feats[n, k, i, j]) for k in range(c))
                out[n, i, j] = total / c
    return out


def overlap_1d(a0, a1, b0, b1):
    return max(0., min(a1, b1) - max(a0, b0))


def slow_box_energy_cells(maps, boxes, sizes):
    """Per image, per feature cell: the exact area of the cell in the box."""
    out = []
    for m, (x1, y1, x2, y2), (height, width) in zip(maps, boxes, sizes):
        h, w = m.shape
        ch, cw = height / h, width / w
        total = inside = 0.
        for i in range(h):
            for j in range(w):
                v = max(float(m[i, j]), 0.)
                area = overlap_1d(j * cw, (j + 1) * cw, x1, x2) * overlap_1d(
                    i * ch, (i + 1) * ch, y1, y2)
                total += v
                inside += v * area / (cw * ch)
        out.append(inside / total if total > 0 else 0.)
    return out


def slow_box_energy_pixels(maps, boxes, sizes):
    """Per image, per pixel of a nearest-neighbour upsampling (image sides
    multiples of the map sides, integer boxes)."""
    out = []
    for m, (x1, y1, x2, y2), (height, width) in zip(maps, boxes, sizes):
        h, w = m.shape
        total = inside = 0.
        for y in range(height):
            for x in range(width):
                v = max(float(m[y * h // height, x * w // width]), 0.)
                total += v
                if x1 <= x < x2 and y1 <= y < y2:
                    inside += v
        out.append(inside / total if total > 0 else 0.)
    return out


def slow_mask_energy(maps, masks):
    """Per image, per cell, per mask pixel: the covered area of the cell."""
    out = []
    for m, mask in zip(maps, masks):
        h, w = m.shape
        height, width = mask.shape
        ch, cw = height / h, width / w
        total = inside = 0.
        for i in range(h):
            for j in range(w):
                v = max(float(m[i, j]), 0.)
                covered = 0.
                for y in range(height):
                    for x in range(width):
                        covered += float(mask[y, x]) * overlap_1d(
                            j * cw, (j + 1) * cw, x, x + 1) * overlap_1d(
                                i * ch, (i + 1) * ch, y, y + 1)
                total += v
                inside += v * covered / (cw * ch)
        out.append(inside / total if total > 0 else 0.)
    return out


def slow_agreement(corr, mask):
    maes, rs = [], []
    for a, b in zip(corr.reshape(len(corr), -1), mask.reshape(len(mask), -1)):
        a, b = [float(v) for v in a], [float(v) for v in b]
        n = len(a)
        maes.append(sum(abs(p - q) for p, q in zip(a, b)) / n)
        ma, mb = sum(a) / n, sum(b) / n
        cov = sum((p - ma) * (q - mb) for p, q in zip(a, b))
        va = sum((p - ma)**2 for p in a)
        vb = sum((q - mb)**2 for q in b)
        if max(a) == min(a) or max(b) == min(b):
            rs.append(0.)
        else:
            rs.append(cov / math.sqrt(va * vb))
    return maes, rs


def slow_bilinear(m, height, width):
    """``F.interpolate(bilinear, align_corners=False)`` written out."""
    h, w = m.shape
    out = np.zeros((height, width))
    for y in range(height):
        sy = max((y + 0.5) * h / height - 0.5, 0.)
        y0 = min(int(math.floor(sy)), h - 1)
        y1, fy = min(y0 + 1, h - 1), sy - y0
        for x in range(width):
            sx = max((x + 0.5) * w / width - 0.5, 0.)
            x0 = min(int(math.floor(sx)), w - 1)
            x1, fx = min(x0 + 1, w - 1), sx - x0
            out[y, x] = ((1 - fy) * ((1 - fx) * m[y0, x0] + fx * m[y0, x1]) +
                         fy * ((1 - fx) * m[y1, x0] + fx * m[y1, x1]))
    return out


# ------------------------------------------------------------ pure functions


def test_activation_maps_is_channel_mean():
    feats = torch.rand(2, 5, 3, 4)
    maps = activation_maps(feats)
    assert maps.shape == (2, 3, 4)
    assert torch.allclose(maps.double(), slow_channel_mean(feats))
    with pytest.raises(ValueError):
        activation_maps(torch.rand(2, 3, 4))


def test_box_energy_random_vs_cell_and_pixel_loops():
    g = torch.Generator().manual_seed(0)
    maps = torch.rand(4, 3, 5, generator=g)
    maps[0, 0, 0] = -1.  # clipped to 0
    sizes = [(12, 20), (9, 10), (7, 13), (12, 20)]
    boxes = torch.tensor([[2., 1., 13., 9.], [0.5, 1.25, 7.3, 8.9],
                          [-3., 2., 30., 5.5], [5., 4., 5., 8.]])
    share = box_energy_share(maps, boxes, torch.tensor(sizes))
    assert share.dtype == torch.float64 and share.shape == (4, )
    assert np.allclose(share, slow_box_energy_cells(maps, boxes, sizes))
    assert share[3] == 0  # an empty box
    # integer boxes and image sides multiple of the grid: same as the
    # pixels of a nearest-neighbour upsampling
    int_boxes = torch.tensor([[2., 1., 13., 9.], [0., 3., 20., 12.],
                              [7., 0., 8., 1.], [0., 0., 20., 12.]])
    shared = box_energy_share(maps, int_boxes, (12, 20))
    assert np.allclose(shared,
                       slow_box_energy_pixels(maps, int_boxes, [(12, 20)] * 4))
    assert shared[3] == pytest.approx(1.)


def test_box_energy_hand_cases():
    inside = torch.zeros(1, 4, 4)
    inside[0, 1:3, 1:3] = torch.tensor([[1., 2.], [3., 4.]])
    box = torch.tensor([[8., 8., 24., 24.]])  # exactly cells 1..2 of 32 px
    assert box_energy_share(inside, box, (32, 32)).item() == 1.
    outside = torch.ones(1, 4, 4)
    outside[0, 1:3, 1:3] = 0
    assert box_energy_share(outside, box, (32, 32)).item() == 0.
    zero = torch.zeros(2, 4, 4)
    out = box_energy_share(zero, box.repeat(2, 1), (32, 32))
    assert out.tolist() == [0., 0.] and not torch.isnan(out).any()
    # a uniform map: the share is the box's area fraction
    uniform = torch.full((1, 4, 4), 3.)
    assert box_energy_share(uniform, torch.tensor([[0., 0., 16., 8.]]),
                            (32, 32)).item() == pytest.approx(1 / 8)


def test_mask_energy_random_vs_loop():
    g = torch.Generator().manual_seed(1)
    maps = torch.rand(3, 3, 4, generator=g)
    masks = torch.rand(3, 7, 10, generator=g) > 0.5  # sides not multiples
    share = mask_energy_share(maps, masks)
    assert np.allclose(share, slow_mask_energy(maps, masks))
    # a mask of the map's own size weights each cell by its value
    small = torch.rand(3, 3, 4, generator=g) > 0.5
    assert np.allclose(
        mask_energy_share(maps, small),
        (maps * small).flatten(1).sum(1) / maps.flatten(1).sum(1))


def test_mask_energy_matches_box_energy_of_a_box_mask():
    g = torch.Generator().manual_seed(2)
    maps = torch.rand(2, 4, 3, generator=g)
    boxes = torch.tensor([[1., 2., 7., 11.], [0., 0., 4., 3.]])
    masks = torch.zeros(2, 13, 9, dtype=torch.bool)
    for mask, (x1, y1, x2, y2) in zip(masks, boxes.long().tolist()):
        mask[y1:y2, x1:x2] = True
    assert np.allclose(
        mask_energy_share(maps, masks), box_energy_share(maps, boxes, (13, 9)))


def test_mask_energy_hand_cases():
    maps = torch.zeros(3, 2, 2)
    maps[0, 0, 0] = 5.
    maps[1, 1, 1] = 5.
    mask = torch.zeros(3, 8, 8)
    mask[:, :4, :4] = 1
    share = mask_energy_share(maps, mask)
    assert share.tolist() == [1., 0., 0.]  # inside, outside, zero map


def test_correspondence_mask_agreement_vs_loop():
    g = torch.Generator().manual_seed(3)
    corr = torch.rand(4, 12, generator=g)  # B x HW
    mask = (torch.rand(4, 3, 4, generator=g) > 0.5).float()  # B x h x w
    corr[2] = 0.7  # constant map
    mask[3] = 1.  # constant mask
    mae, r = correspondence_mask_agreement(corr, mask)
    slow_mae, slow_r = slow_agreement(corr, mask)
    assert np.allclose(mae, slow_mae) and np.allclose(r, slow_r)
    assert r[2] == 0 and r[3] == 0 and not torch.isnan(r).any()
    # B x h x w correspondence against a B x HW mask
    mae2, r2 = correspondence_mask_agreement(
        corr.reshape(4, 3, 4), mask.reshape(4, 12))
    assert torch.equal(mae, mae2) and torch.equal(r, r2)


def test_correspondence_mask_agreement_hand_cases():
    mask = torch.tensor([[0., 1., 1., 0.]])
    mae, r = correspondence_mask_agreement(mask.clone(), mask)
    assert mae.item() == 0 and r.item() == pytest.approx(1.)
    mae, r = correspondence_mask_agreement(1 - mask, mask)
    assert mae.item() == 1 and r.item() == pytest.approx(-1.)
    mae, r = correspondence_mask_agreement(torch.full((1, 4), 0.25), mask)
    assert mae.item() == pytest.approx(0.5) and r.item() == 0
    # affine invariance of the correlation
    _, r = correspondence_mask_agreement(0.2 + 0.5 * mask, mask)
    assert r.item() == pytest.approx(1.)
    with pytest.raises(ValueError):
        correspondence_mask_agreement(torch.rand(1, 5), mask)


def test_cam_max_box_acc_known_answer():
    """A 2 x 2 map hot in its top-left cell, bilinearly upsampled, along x
    and y ``1, 1, .875, .625, .375, .125, 0, 0`` (8 px): the box above
    threshold t is ``[0, 0, n, n]`` with n = 6, 5, 4, 3, 2 for t = 0, .2,
    .5, .7, .9 against the box [0, 0, 4, 4]: IoU 16/36, 16/25, 1, 9/16,
    4/16. At 16 px the same with n = 12, 10, 8, 6, 5 and box [0, 0, 8, 8].
    The third image's box is elsewhere: never a hit."""
    maps = torch.zeros(3, 2, 2)
    maps[:, 0, 0] = 1.
    boxes = [
        np.array([[0., 0., 4., 4.]]),
        np.array([[0., 0., 8., 8.]]),
        np.array([[4., 4., 8., 8.]])
    ]
    sizes = [(8, 8), (16, 16), (8, 8)]
    out = cam_max_box_acc(maps, boxes, sizes, [0., .2, .5, .7, .9])
    assert np.allclose(out['accuracies'], [0, 200 / 3, 200 / 3, 200 / 3, 0])
    assert out['max_box_acc'] == pytest.approx(200 / 3)
    assert out['best_threshold'] == pytest.approx(.2)
    # default grid; a B x 4 array gives one box per image
    out = cam_max_box_acc(maps, np.concatenate(boxes), np.array(sizes))
    assert out['max_box_acc'] == pytest.approx(200 / 3)


def test_cam_max_box_acc_random_vs_slow_upsampling():
    g = torch.Generator().manual_seed(4)
    maps = torch.rand(3, 3, 3, generator=g)
    boxes = [np.array([[2., 3., 9., 10.]]), np.array([[0., 0., 6., 5.]])] * 2
    sizes = [(12, 11), (10, 7), (12, 11)]
    thresholds = np.arange(0, 1, 0.05)
    out = cam_max_box_acc(maps, boxes[:3], sizes, thresholds)
    ref = max_box_acc(
        [slow_bilinear(m.double().numpy(), *s) for m, s in zip(maps, sizes)],
        boxes[:3], thresholds)
    assert np.allclose(out['accuracies'], ref['accuracies'])
    assert out['max_box_acc'] == ref['max_box_acc']


def test_rescale_boxes_hand_and_mmcv_resize():
    boxes = torch.tensor([[10., 20., 30., 40.], [0., 0., 50., 80.]])
    out = rescale_boxes(boxes, torch.tensor([[80, 50], [80, 50]]), (40, 100))
    assert out.tolist() == [[20., 10., 60., 20.], [0., 0., 100., 40.]]
    out = rescale_boxes(boxes[:, None], (80, 50), (40, 100))  # B x K x 4
    assert out.shape == (2, 1, 4) and out[1, 0].tolist() == [0, 0, 100, 40]
    # the rescaling of mmcv's Resize, which the localisation loader uses
    from mmcv.transforms import Resize
    img = np.zeros((80, 50, 3), np.uint8)
    results = Resize(scale=(100, 40))(
        dict(img=img, img_shape=(80, 50), gt_bboxes=boxes.numpy().copy()))
    assert np.allclose(
        rescale_boxes(boxes, (80, 50), results['img_shape']),
        results['gt_bboxes'])


# ---------------------------------------------------------------- end to end


def _cub_boxes(root):
    """``image name -> (x1, y1, x2, y2)`` from the CUB files, by hand."""
    names, boxes = {}, {}
    with open(root / 'images.txt') as f:
        for line in f:
            idx, name = line.split()
            names[idx] = name
    with open(root / 'bounding_boxes.txt') as f:
        for line in f:
            idx, x, y, w, h = line.split()
            x, y, w, h = map(float, (x, y, w, h))
            boxes[names[idx]] = (x, y, x + w, y + h)
    return boxes


@pytest.fixture(scope='module')
def synth_cub(tmp_path_factory):
    from mmfgssl.datasets.synthetic_cub import make_synthetic_cub
    root = tmp_path_factory.mktemp('synth_cub')
    # 2 classes x (2 train + 2 test) images of 48 px
    sizes = dict(num_classes=2, train_per_class=2, test_per_class=2)
    make_synthetic_cub(str(root), img_size=48, **sizes)
    return root


def _backbone_and_preprocessor():
    from mmpretrain.models import ClsDataPreprocessor, ResNet_CIFAR
    torch.manual_seed(0)
    backbone = ResNet_CIFAR(depth=18, stem_channels=16, base_channels=16)
    pre = ClsDataPreprocessor(
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375])
    return backbone, pre


def test_evaluate_localization_end_to_end(synth_cub):
    dataset = dict(type='CUBWithBoxes', data_root=str(synth_cub))
    loader = build_eval_loader(dataset, 'test', 64, batch_size=3, crop=False)
    backbone, pre = _backbone_and_preprocessor()
    backbone.train()

    def attention(feats):  # any non-negative map on the feature grid
        return feats.amax(dim=1)  # B x h x w

    thresholds = np.arange(0, 1, 0.05)
    out = evaluate_localization(
        backbone, loader, pre, attention_fn=attention, thresholds=thresholds)
    assert set(out) == {'maxboxacc', 'box_energy', 'gfb_box_energy'}
    assert all(0 <= v <= 100 for v in out.values())
    assert backbone.training  # its mode is restored

    # re-computation: own forward, boxes from the annotation files
    gt = _cub_boxes(synth_cub)
    backbone.eval()
    maps, attn, boxes = [], [], []
    with torch.no_grad():
        for data in loader:
            data = pre(data, False)
            feats = backbone(data['inputs'])[-1]
            assert feats.shape[-2:] == (8, 8)
            maps.extend(slow_channel_mean(feats))
            attn.extend(feats.amax(dim=1).double())
            for sample in data['data_samples']:
                name = sample.img_path.split('images/')[-1]
                boxes.append([v * 64 / 48 for v in gt[name]])
    assert len(maps) == 4
    sizes = [(64, 64)] * 4
    energy = 100 * np.mean(slow_box_energy_cells(maps, boxes, sizes))
    gfb_energy = 100 * np.mean(slow_box_energy_cells(attn, boxes, sizes))
    ref = max_box_acc([slow_bilinear(m.numpy(), 64, 64) for m in maps],
                      [np.array([b]) for b in boxes], thresholds)
    assert out['box_energy'] == pytest.approx(energy, abs=1e-4)
    assert out['gfb_box_energy'] == pytest.approx(gfb_energy, abs=1e-4)
    assert out['maxboxacc'] == pytest.approx(ref['max_box_acc'])
    # feat_fn instead of the backbone; no attention -> no gfb key
    out2 = evaluate_localization(
        None,
        loader,
        pre,
        feat_fn=lambda x: backbone(x)[-1],
        thresholds=thresholds)
    assert set(out2) == {'maxboxacc', 'box_energy'}
    assert out2['box_energy'] == pytest.approx(out['box_energy'])


def test_evaluate_localization_with_gfb_head(synth_cub):
    from mmfgssl.models.heads.gfb_head import GFBHead
    from mmfgssl.models.utils.gradcam_fitting import normalize_attention
    dataset = dict(type='CUBWithBoxes', data_root=str(synth_cub))
    loader = build_eval_loader(dataset, 'test', 48, batch_size=4, crop=False)
    backbone, pre = _backbone_and_preprocessor()
    torch.manual_seed(1)
    model = types.SimpleNamespace(
        gfb_head=GFBHead(in_channels=128, num_projections=8).eval(),
        attention_norm={})
    attention = gfb_attention_fn(model)
    out = evaluate_localization(backbone, loader, pre, attention_fn=attention)
    assert 0 <= out['gfb_box_energy'] <= 100
    data = pre(next(iter(loader)), False)
    backbone.eval()
    with torch.no_grad():
        feats = backbone(data['inputs'])[-1]
        assert torch.allclose(
            attention(feats), normalize_attention(model.gfb_head(feats)))
    with pytest.raises(ValueError, match='gfb_head'):
        gfb_attention_fn(object())


def test_evaluate_localization_rejects_a_cropping_loader(synth_cub):
    dataset = dict(type='CUBWithBoxes', data_root=str(synth_cub))
    loader = build_eval_loader(dataset, 'test', 40, batch_size=4)
    types_ = [type(t).__name__ for t in loader.dataset.pipeline.transforms]
    assert types_ == [
        'LoadImageFromFile', 'ResizeEdge', 'CenterCrop', 'PackInputs'
    ]  # the default pipeline is unchanged
    backbone, pre = _backbone_and_preprocessor()
    with pytest.raises(ValueError, match='crop=False'):
        evaluate_localization(backbone, loader, pre)
