"""ContrastiveCropHook: schedule, heatmap boxes of images on disk, dataset
order under DDP, checkpoints, and persistent data-loader workers."""
import os
import os.path as osp
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmengine.logging import MessageHub, MMLogger
from mmengine.registry import DefaultScope
from mmpretrain.models import SelfSupDataPreprocessor
from torch import nn
from torch.utils.data import DataLoader, Dataset

from mmfgssl.datasets import UnlabeledImageFolder, box_utils
from mmfgssl.engine.hooks import ContrastiveCropHook
from mmfgssl.engine.hooks import contrastive_crop_hook as hook_module
from mmfgssl.engine.hooks import find_contrastive_crops


@pytest.fixture(autouse=True)
def mmpretrain_scope():
    """Datasets build their pipelines in the default scope, as in a Runner
    of an mmpretrain config."""
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        yield


def fake_runner(dataset,
                epoch=0,
                max_epochs=10,
                model=None,
                batch_size=2,
                num_workers=0):
    loader = SimpleNamespace(
        dataset=dataset, batch_size=batch_size, num_workers=num_workers)
    return SimpleNamespace(
        train_dataloader=loader,
        train_loop=None,
        epoch=epoch,
        max_epochs=max_epochs,
        model=model,
        seed=0,  # Runner.seed, which the hook's loader is built with
        logger=MMLogger.get_instance('ccrop_test'),
        message_hub=MessageHub.get_instance('ccrop_test'))


# ---------------------------------------------------------------- schedule
@pytest.mark.parametrize(
    'warmup,interval,max_epochs,expected',
    [
        (2, 2, 7, [2, 4, 6]),
        (2, 2, 6, [2, 4]),  # never after the last epoch
        (3, 2, 9, [4, 6, 8]),
        (20, 20, 100, [20, 40, 60, 80]),  # ImageNet
        (100, 100, 500, [100, 200, 300, 400]),  # small datasets
    ])
def test_update_schedule(warmup, interval, max_epochs, expected, monkeypatch):
    hook = ContrastiveCropHook(warmup_epochs=warmup, interval=interval)
    done = []
    monkeypatch.setattr(hook, 'update_boxes', lambda r, e: done.append(e))
    for epoch in range(max_epochs):
        hook.after_train_epoch(fake_runner(None, epoch, max_epochs))
    assert done == expected


# ------------------------------------------------- boxes of images on disk
class BrightnessBackbone(nn.Module):
    """'Features' = the image itself: the heatmap is the brightness."""

    def forward(self, x):
        return (x, )


class BrightnessModel(nn.Module):

    def __init__(self):
        super().__init__()
        self.data_preprocessor = SelfSupDataPreprocessor(
            mean=(0., 0., 0.), std=(1., 1., 1.))
        self.backbone = BrightnessBackbone()


# (row0, row1, col0, col1) inclusive bright rectangles in 40 x 40 images
RECTS = [(8, 19, 24, 35), (0, 39, 0, 39), (30, 33, 2, 9), (5, 5, 5, 5),
         (10, 30, 0, 39)]


@pytest.fixture
def rect_images(tmp_path):
    for i, (r0, r1, c0, c1) in enumerate(RECTS):
        img = np.zeros((40, 40, 3), np.uint8)
        img[r0:r1 + 1, c0:c1 + 1] = 255
        cv2.imwrite(str(tmp_path / f'{i}.png'), img)
    return str(tmp_path)


def test_update_boxes_from_images_on_disk(rect_images):
    dataset = UnlabeledImageFolder(
        data_root=rect_images,
        pipeline=[dict(type='ContrastiveCrop', scale=16)])
    assert [
        osp.basename(dataset.get_data_info(i)['img_path'])
        for i in range(len(dataset))
    ] == [f'{i}.png' for i in range(len(RECTS))]
    model = BrightnessModel()
    model.train()
    runner = fake_runner(dataset, epoch=3, model=model, batch_size=2)
    hook = ContrastiveCropHook(warmup_epochs=0, interval=1, k=0.5, img_size=40)
    hook.before_run(runner)
    table = hook.box_table
    crop = dataset.pipeline.transforms[0]
    assert crop.box_table is table
    assert table.boxes.tolist() == [[0., 0., 1., 1.]] * len(RECTS)

    hook.after_train_epoch(runner)  # epoch 4 of 10 done: update
    expected = [[c0 / 40, r0 / 40, (c1 + 1) / 40, (r1 + 1) / 40]
                for r0, r1, c0, c1 in RECTS]
    torch.testing.assert_close(table.boxes, torch.tensor(expected))
    assert model.training  # the train mode is restored
    hub = runner.message_hub
    areas = [(b[2] - b[0]) * (b[3] - b[1]) for b in expected]
    assert hub.get_scalar('train/ccrop_box_area').current() == \
        pytest.approx(np.mean(areas), abs=1e-6)
    assert hub.get_scalar('train/ccrop_whole_image').current() == \
        pytest.approx(1 / len(RECTS))


def test_gather_restores_dataset_order_without_padding(monkeypatch):
    """5 samples on 2 ranks: a non-shuffled DefaultSampler gives rank 0 the
    indices 0, 2, 4 and rank 1 the indices 1, 3 and the padding 0."""

    def rows(indices, offset):
        return torch.tensor([[i, .1, .1, .5 + offset, .5, 0] for i in indices],
                            dtype=torch.float64)

    parts = [rows([0, 2, 4], 0.), rows([1, 3, 0], 0.3)]
    monkeypatch.setattr(hook_module, 'all_gather', lambda local: parts)
    hook = ContrastiveCropHook()
    out = hook.gather_boxes(parts[0], 5)
    assert out[:, 0].tolist() == [0, 1, 2, 3, 4]
    # rank 0's box for index 0, not the padded copy of rank 1
    assert out[0, 3].item() == pytest.approx(.5)
    assert out[1, 3].item() == pytest.approx(.8)

    parts = [rows([0, 2, 4], 0.), rows([1, 3], 0.)]
    with pytest.raises(RuntimeError, match='different numbers'):
        hook.gather_boxes(parts[0], 5)
    parts = [rows([0, 2, 4], 0.), rows([1, 4, 0], 0.)]
    with pytest.raises(RuntimeError, match='do not cover'):
        hook.gather_boxes(parts[0], 5)


# ------------------------------------------------------------- checkpoints
def test_checkpoint_round_trip_restores_only_on_resume(rect_images):
    dataset = UnlabeledImageFolder(
        data_root=rect_images,
        pipeline=[dict(type='ContrastiveCrop', scale=16)])
    hook = ContrastiveCropHook(warmup_epochs=1, interval=1)
    hook.before_run(fake_runner(dataset))
    boxes = torch.tensor([[.1, .2, .3, .4]] * len(RECTS))
    hook.box_table.update(boxes)
    ckpt = dict(meta=dict(epoch=4))
    hook.before_save_checkpoint(fake_runner(dataset), ckpt)
    assert torch.equal(ckpt['contrastive_crop']['boxes'], boxes)

    # resume: the runner continues at the saved epoch
    resumed = ContrastiveCropHook(warmup_epochs=1, interval=1)
    runner = fake_runner(dataset, epoch=4)
    resumed.before_run(runner)
    resumed.after_load_checkpoint(runner, ckpt)
    resumed.before_train(runner)
    assert torch.equal(resumed.box_table.boxes, boxes)
    resumed.before_train_epoch(runner)
    assert resumed.box_table.is_active

    # load_from (epoch 0): weights only, the boxes stay the initial ones
    loaded = ContrastiveCropHook(warmup_epochs=1, interval=1)
    runner = fake_runner(dataset, epoch=0)
    loaded.before_run(runner)
    loaded.after_load_checkpoint(runner, ckpt)
    loaded.before_train(runner)
    assert loaded.box_table.boxes.tolist() == [[0, 0, 1, 1]] * len(RECTS)
    loaded.before_train_epoch(runner)
    assert not loaded.box_table.is_active

    # a checkpoint of another dataset cannot be resumed
    bad = dict(
        meta=dict(epoch=4), contrastive_crop=dict(boxes=torch.rand(3, 4)))
    other = ContrastiveCropHook(warmup_epochs=1, interval=1)
    runner = fake_runner(dataset, epoch=4)
    other.before_run(runner)
    other.after_load_checkpoint(runner, bad)
    with pytest.raises(ValueError, match='contrastive_crop.*3 boxes'):
        other.before_train(runner)


def test_configured_initial_box(rect_images):
    dataset = UnlabeledImageFolder(
        data_root=rect_images,
        pipeline=[dict(type='ContrastiveCrop', scale=16)])
    hook = ContrastiveCropHook(init_box=(0.1, 0.2, 0.9, 1.0))
    hook.before_run(fake_runner(dataset))
    torch.testing.assert_close(
        hook.box_table.boxes,
        torch.tensor([[0.1, 0.2, 0.9, 1.0]] * len(RECTS)))
    with pytest.raises(ValueError, match='init_box'):
        ContrastiveCropHook(init_box=(0.5, 0.2, 0.1, 1.0))


def test_hook_without_contrastive_crop_is_an_error(rect_images):
    dataset = UnlabeledImageFolder(
        data_root=rect_images,
        pipeline=[dict(type='RandomResizedCrop', scale=16)])
    with pytest.raises(RuntimeError, match='no ContrastiveCrop'):
        ContrastiveCropHook().before_run(fake_runner(dataset))
    with pytest.raises(ValueError, match='k must be'):
        ContrastiveCropHook(k=1.5)


# ----------------------------------------- threshold modes and box quality
def test_threshold_mode_fits_k():
    assert ContrastiveCropHook().threshold_mode == 'fixed'
    for mode, k in [('fixed', 0.), ('mean', 1.), ('mean', 2.5),
                    ('quantile', 0.8)]:
        hook = ContrastiveCropHook(threshold_mode=mode, k=k)
        assert (hook.threshold_mode, hook.k) == (mode, k)
    for mode, k in [('fixed', 1.), ('mean', 0.), ('quantile', 1.),
                    ('quantile', 0.)]:
        with pytest.raises(
                ValueError, match=f"ContrastiveCropHook: k must.*"
                f"'{mode}'"):
            ContrastiveCropHook(threshold_mode=mode, k=k)
    with pytest.raises(ValueError, match='threshold_mode must be one of'):
        ContrastiveCropHook(threshold_mode='otsu')


def slow_gt_iou(boxes, dataset):
    """IoU of each normalised table box with its sample's ground-truth box
    normalised by the size of the image on disk, with python numbers."""
    ious = []
    for idx, box in enumerate(boxes.tolist()):
        info = dataset.get_data_info(idx)
        height, width = cv2.imread(info['img_path']).shape[:2]
        x1, y1, x2, y2 = [float(v) for v in info['gt_bboxes'].reshape(4)]
        gt = [x1 / width, y1 / height, x2 / width, y2 / height]
        iw = max(0., min(box[2], gt[2]) - max(box[0], gt[0]))
        ih = max(0., min(box[3], gt[3]) - max(box[1], gt[1]))
        union = ((box[2] - box[0]) * (box[3] - box[1]) + (gt[2] - gt[0]) *
                 (gt[3] - gt[1]) - iw * ih)
        ious.append(iw * ih / union)
    return ious


@pytest.mark.parametrize('mode,k', [('mean', 1.0), ('quantile', 0.7),
                                    ('fixed', 0.5)])
def test_update_logs_iou_with_ground_truth_boxes(mode, k, tiny_synthetic_cub,
                                                 monkeypatch):
    """Two updates on the CUB-format set: the message hub holds the mean IoU
    of the table's boxes with the ground-truth ones and the fraction >= 0.5,
    as re-computed from the table and the dataset; the boxes are read once.
    """
    from mmfgssl.datasets import CUBWithBoxes
    dataset = CUBWithBoxes(
        data_root=tiny_synthetic_cub,
        split='train',
        pipeline=[dict(type='ContrastiveCrop', scale=16)])
    runner = fake_runner(
        dataset, epoch=0, max_epochs=4, model=BrightnessModel(), batch_size=8)
    runner.message_hub = MessageHub.get_instance(f'ccrop_gt_{mode}')
    hook = ContrastiveCropHook(
        warmup_epochs=0, interval=1, k=k, img_size=32, threshold_mode=mode)
    hook.before_run(runner)
    opened = []  # the images whose size the hook reads
    size_of = box_utils.oriented_image_size
    monkeypatch.setattr(box_utils, 'oriented_image_size',
                        lambda p: opened.append(p) or size_of(p))
    hook.after_train_epoch(runner)  # epoch 1 of 4 done: update
    assert len(opened) == len(dataset) == 16
    boxes = hook.box_table.boxes
    assert not torch.equal(boxes, torch.tensor([[0., 0., 1., 1.]] * 16))
    ious = slow_gt_iou(boxes, dataset)
    hub = runner.message_hub
    iou = hub.get_scalar('train/ccrop_gt_iou').current()
    assert 0 <= iou <= 1
    assert iou == pytest.approx(np.mean(ious), abs=1e-6)
    assert hub.get_scalar('train/ccrop_gt_iou50').current() == \
        pytest.approx(np.mean([v >= 0.5 for v in ious]))

    opened.clear()
    runner.epoch = 1
    hook.after_train_epoch(runner)  # epoch 2 of 4 done: update again
    assert opened == []  # the cached ground-truth boxes
    assert len(hub.get_scalar('train/ccrop_gt_iou').data[0]) == 2


def test_threshold_mode_decides_the_boxes(tiny_synthetic_cub):
    """On the synthetic images' brightness (a textured background), the
    paper's k = 0.1 closes to (nearly) the whole image more often than the
    mean threshold does."""
    from mmfgssl.datasets import CUBWithBoxes
    dataset = CUBWithBoxes(
        data_root=tiny_synthetic_cub,
        split='train',
        pipeline=[dict(type='ContrastiveCrop', scale=16)])
    areas = {}
    for mode, k in [('fixed', 0.1), ('mean', 1.0)]:
        runner = fake_runner(
            dataset,
            epoch=0,
            max_epochs=2,
            model=BrightnessModel(),
            batch_size=8)
        hook = ContrastiveCropHook(
            warmup_epochs=0, interval=1, k=k, img_size=32, threshold_mode=mode)
        hook.before_run(runner)
        hook.after_train_epoch(runner)
        boxes = hook.box_table.boxes
        areas[mode] = ((boxes[:, 2] - boxes[:, 0]) *
                       (boxes[:, 3] - boxes[:, 1])).mean().item()
    assert areas['mean'] < areas['fixed']


def test_no_ground_truth_boxes_no_iou(rect_images):
    dataset = UnlabeledImageFolder(
        data_root=rect_images,
        pipeline=[dict(type='ContrastiveCrop', scale=16)])
    runner = fake_runner(dataset, model=BrightnessModel())
    runner.message_hub = MessageHub.get_instance('ccrop_no_gt')
    hook = ContrastiveCropHook(
        warmup_epochs=0, interval=1, k=1.0, img_size=40, threshold_mode='mean')
    hook.before_run(runner)
    hook.after_train_epoch(runner)
    hub = runner.message_hub
    assert 'train/ccrop_box_area' in hub.log_scalars
    assert 'train/ccrop_gt_iou' not in hub.log_scalars
    assert 'train/ccrop_gt_iou50' not in hub.log_scalars
    # the bright rectangles are above their images' mean brightness
    expected = [[c0 / 40, r0 / 40, (c1 + 1) / 40, (r1 + 1) / 40]
                for r0, r1, c0, c1 in RECTS]
    expected[1] = [0., 0., 1., 1.]  # all bright: nothing above the mean
    torch.testing.assert_close(hook.box_table.boxes, torch.tensor(expected))


# ------------------------------------------------------- persistent workers
def coordinate_image(size=100):
    """Channel 0 holds the column, channel 1 the row of each pixel."""
    ys, xs = np.mgrid[:size, :size]
    return np.stack([xs, ys, np.zeros_like(xs)], -1).astype(np.uint8)


class CoordinateDataset(Dataset):
    """Coordinate images through a pipeline, with ``sample_idx``."""

    def __init__(self, num, pipeline):
        self.num = num
        self.pipeline = Compose(pipeline)

    def __len__(self):
        return self.num

    def __getitem__(self, idx):
        return self.pipeline(dict(img=coordinate_image(), sample_idx=idx))


def crop_centres(batch):
    """Collate in the worker: (worker pid, sample_idx, mean row, mean col)
    of the cropped view; the mean coordinates of a small crop are about its
    centre."""
    return [(os.getpid(), r['sample_idx'], float(r['img'][..., 1].mean()),
             float(r['img'][..., 0].mean())) for r in batch]


def run_epoch(loader):
    return [row for batch in loader for row in batch]


@pytest.mark.parametrize('context', ['fork', 'spawn'])
def test_persistent_workers_crop_with_updated_boxes(context):
    num = 16
    dataset = CoordinateDataset(num, [
        dict(
            type='ContrastiveCrop',
            scale=8,
            crop_ratio_range=(0.01, 0.02),
            alpha=0.6)
    ])
    loader = DataLoader(
        dataset,
        batch_size=4,
        num_workers=2,
        persistent_workers=True,
        collate_fn=crop_centres,
        multiprocessing_context=context)
    runner = fake_runner(dataset, max_epochs=3)
    hook = ContrastiveCropHook(warmup_epochs=1, interval=1)
    hook.before_run(runner)  # the table exists before the workers start
    table = hook.box_table

    torch.manual_seed(0)
    runner.epoch = 0
    hook.before_train_epoch(runner)  # warm-up: RandomResizedCrop
    rows = run_epoch(loader)
    pids = {r[0] for r in rows}
    assert len(pids) == 2 and os.getpid() not in pids
    cols = np.array([r[3] for r in rows])
    assert cols.min() < 40 and cols.max() > 60  # all over the image

    # the main process writes new boxes: even samples bottom-right, odd
    # ones top-left; the next epoch's crops follow them
    corner = {0: [.8, .8, 1., 1.], 1: [0., 0., .2, .2]}
    for epoch, flip in [(1, 0), (2, 1)]:
        table.update(
            torch.tensor([corner[(i + flip) % 2] for i in range(num)]))
        runner.epoch = epoch
        hook.before_train_epoch(runner)
        rows = run_epoch(loader)
        assert {r[0] for r in rows} == pids  # the same persistent workers
        assert sorted(r[1] for r in rows) == list(range(num))
        for _, idx, row, col in rows:
            if (idx + flip) % 2 == 0:
                assert row >= 79 and col >= 79, (epoch, idx, row, col)
            else:
                assert row <= 21 and col <= 21, (epoch, idx, row, col)
    del loader


# ------------------------------------------- the four algorithms' models
@pytest.mark.parametrize('config', [
    'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py',
    'byol-ccrop_resnet18_1xb32-coslr-100e_synthcub.py',
    'simsiam-ccrop_resnet50_8xb32-coslr-100e_cub.py',
    'simclr-ccrop_resnet50_8xb64-coslr-100e_cub.py',
])
def test_update_with_each_algorithm(config, tiny_synthetic_cub):
    """The update pass runs on MoCo v2, BYOL, SimSiam and SimCLR models
    built from the configs, on the CUB-format set, and fills the table of
    the training pipeline's ContrastiveCrop."""
    from mmengine.config import Config
    from mmpretrain.registry import DATASETS, MODELS

    from mmfgssl.utils import replace_sync_bn
    cfg = Config.fromfile(
        osp.join(
            osp.dirname(__file__), '..', '..', '..', 'configs',
            'contrastive_crop', config))
    model_cfg = cfg.model
    replace_sync_bn(model_cfg)
    model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    model = MODELS.build(model_cfg)
    model.train()
    dataset = DATASETS.build(
        dict(
            type='CUBWithBoxes',
            data_root=tiny_synthetic_cub,
            split='train',
            pipeline=cfg.train_dataloader.dataset.pipeline))
    runner = fake_runner(
        dataset, epoch=1, max_epochs=3, model=model, batch_size=4)
    hook_cfg = dict(cfg.custom_hooks[-1])
    assert hook_cfg.pop('type') == 'ContrastiveCropHook'
    hook_cfg.update(warmup_epochs=1, interval=1, k=0.5, img_size=64)
    hook = ContrastiveCropHook(**hook_cfg)
    hook.before_run(runner)
    hook.after_train_epoch(runner)  # epoch 2 of 3 done: update
    boxes = hook.box_table.boxes
    assert boxes.shape == (16, 4)
    assert ((boxes[:, 2:] - boxes[:, :2]) > 0).all()
    assert not (boxes == torch.tensor([0., 0., 1., 1.])).all()
    assert model.training
    # the training crops read this table, and crop with it after warm-up
    crops = find_contrastive_crops(dataset.pipeline)
    assert crops and all(c.box_table is hook.box_table for c in crops)
    runner.epoch = 2
    hook.before_train_epoch(runner)
    assert hook.box_table.is_active
    assert len(dataset[3]['inputs']) == 2
