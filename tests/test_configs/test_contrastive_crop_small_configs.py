"""ContrastiveCrop's small-set configs (Table 1): the paper's schedule, and
a C-Crop config trained by mmengine's Runner on CIFAR-10 batch files in
their on-disk format (pickled dicts of uint8 rows)."""
import glob
import os
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmpretrain.datasets import CIFAR10

from mmfgssl.engine import ccrop_update_epochs

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FOLDER = osp.join(REPO_ROOT, 'configs', 'contrastive_crop')
SMALL = sorted(glob.glob(osp.join(FOLDER, '*_resnet18_8xb64-coslr-500e_*.py')))
CROP = {'cifar10': 32, 'cifar100': 32, 'stl10': 96, 'tiny-imagenet': 64}


def test_every_cell_of_table_1_has_both_columns():
    names = {osp.basename(p) for p in SMALL}
    assert len(names) == 32
    for algo in ('mocov2', 'byol', 'simclr', 'simsiam'):
        for data in CROP:
            for crop in ('', '-ccrop'):
                assert f'{algo}{crop}_resnet18_8xb64-coslr-500e_{data}.py' \
                    in names


@pytest.mark.parametrize('path', SMALL, ids=[osp.basename(p) for p in SMALL])
def test_the_papers_small_set_schedule(path):
    """Section 4.2: ResNet-18, 500 epochs, batch 512, cosine lr 0.5, SGD
    momentum 0.9, weight decay 1e-4; alpha 0.1, k 0.1, boxes every 100
    epochs after a warm-up of 100 (the authors' configs)."""
    cfg = Config.fromfile(path)
    data = osp.basename(path)[:-3].split('_')[-1]
    assert cfg.model.backbone.type == 'ResNet_CIFAR'
    assert cfg.model.backbone.depth == 18
    assert cfg.train_dataloader.batch_size * 8 == 512
    assert cfg.auto_scale_lr.base_batch_size == 512
    assert cfg.train_cfg.max_epochs == 500
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr, opt.momentum, opt.weight_decay) == ('SGD', 0.5,
                                                                  0.9, 1e-4)
    (sched, ) = cfg.param_scheduler
    assert (sched.type, sched.T_max) == ('CosineAnnealingLR', 500)
    (multi, ) = [
        t for t in cfg.train_dataloader.dataset.pipeline
        if t['type'] == 'MultiView'
    ]
    crop = multi['transforms'][0][0]
    assert crop['scale'] == CROP[data]
    assert crop['crop_ratio_range'] == (0.2, 1.)
    # no blur in the small-set views
    assert [t['type'] for t in multi['transforms'][0][1:]] == \
        ['RandomFlip', 'RandomApply', 'RandomGrayscale']
    hooks = [h for h in cfg.custom_hooks if h.type == 'ContrastiveCropHook']
    if '-ccrop_' not in path:
        assert crop['type'] == 'RandomResizedCrop' and not hooks
        return
    assert crop['type'] == 'ContrastiveCrop' and crop['alpha'] == 0.1
    (hook, ) = hooks
    assert (hook.k, hook.warmup_epochs, hook.interval) == (0.1, 100, 100)
    # Four updates: after epochs 100, 200, 300 and 400 (the authors' loop
    # skips the last epoch, as ours does); the paper's text says "updated 5
    # times", which counts one more than the authors' code performs.
    assert ccrop_update_epochs(
        hook.warmup_epochs, hook.interval,
        cfg.train_cfg.max_epochs) == [100, 200, 300, 400]


def write_cifar10(root, per_file=4, seed=0):
    """CIFAR-10's python release: five training batches, a test batch and
    the meta file, each a pickled dict (rows of 3072 uint8, R then G then B
    planes of 32 x 32). Each image is a bright square on a dark ground."""
    rng = np.random.default_rng(seed)
    folder = osp.join(root, CIFAR10.base_folder)
    os.makedirs(folder)
    names = [name for name, _ in CIFAR10.train_list + CIFAR10.test_list]
    for name in names:
        imgs = rng.integers(0, 40, (per_file, 32, 32, 3), dtype=np.uint8)
        for img in imgs:
            y, x = rng.integers(0, 20, 2)
            img[y:y + 12, x:x + 12] = rng.integers(180, 256, 3)
        data = imgs.transpose(0, 3, 1, 2).reshape(per_file, -1)
        entry = dict(data=data, labels=rng.integers(0, 10, per_file).tolist())
        with open(osp.join(folder, name), 'wb') as f:
            pickle.dump(entry, f)
    with open(osp.join(folder, CIFAR10.meta['filename']), 'wb') as f:
        pickle.dump(dict(label_names=list(CIFAR10.METAINFO['classes'])), f)


def test_ccrop_config_trains_on_cifar10_files(tmp_path, monkeypatch):
    """mmengine's Runner trains the MoCo C-Crop CIFAR-10 config for three
    epochs (schedule shortened: boxes from epoch 1, updated after epochs 1
    and 2) on CIFAR-10 files; the update reads the in-memory arrays and the
    crops use its boxes. The files are not the official ones, so the md5
    check of mmpretrain's CIFAR10 is bypassed."""
    monkeypatch.setattr(CIFAR10, '_check_integrity', lambda self: True)
    root = str(tmp_path / 'cifar10')
    write_cifar10(root)
    cfg = Config.fromfile(
        osp.join(FOLDER, 'mocov2-ccrop_resnet18_8xb64-coslr-500e_cifar10.py'))
    cfg.work_dir = str(tmp_path / 'work')
    cfg.train_dataloader.update(
        batch_size=8, num_workers=0, persistent_workers=False)
    cfg.train_dataloader.dataset.data_root = root
    cfg.model.queue_len = 32
    cfg.train_cfg.max_epochs = 3
    cfg.param_scheduler[0].update(T_max=3, end=3)
    cfg.custom_hooks[-1].update(warmup_epochs=1, interval=1)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=3)
    runner = Runner.from_cfg(cfg)
    runner.train()

    (hook, ) = [
        h for h in runner.hooks if type(h).__name__ == 'ContrastiveCropHook'
    ]
    assert len(runner.train_dataloader.dataset) == 20
    assert hook.box_table.is_active
    boxes = hook.box_table.boxes
    assert boxes.shape == (20, 4)
    assert ((boxes[:, 2:] - boxes[:, :2]) > 0).all()
    hub = runner.message_hub
    assert 0 < hub.get_scalar('train/ccrop_box_area').current() <= 1
    # 2 iterations an epoch (20 images, batch 8, drop_last)
    assert runner.iter == 6
    assert np.isfinite(hub.get_scalar('train/loss').current())
    assert osp.isfile(osp.join(cfg.work_dir, 'epoch_3.pth'))

    # the Table 1 linear probe of the same set, from that checkpoint
    linear = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', 'benchmarks', 'linear',
                 'resnet18_8xb64-linear-step-100e_cifar10.py'))
    linear.work_dir = str(tmp_path / 'linear')
    linear.model.backbone.init_cfg.checkpoint = osp.join(
        cfg.work_dir, 'epoch_3.pth')
    for loader in (linear.train_dataloader, linear.val_dataloader):
        loader.update(batch_size=8, num_workers=0, persistent_workers=False)
        loader.dataset.data_root = root
    linear.test_dataloader = linear.val_dataloader
    linear.train_cfg.update(max_epochs=1, val_interval=1)
    linear_runner = Runner.from_cfg(linear)
    linear_runner.train()
    # the frozen backbone is the pre-trained one
    ssl_state = runner.model.backbone.state_dict()
    probe_state = linear_runner.model.backbone.state_dict()
    for key in ('conv1.weight', 'layer4.1.conv2.weight'):
        assert torch.equal(ssl_state[key], probe_state[key]), key
    top1 = linear_runner.message_hub.get_scalar('val/accuracy/top1').current()
    assert 0 <= top1 <= 100


@pytest.mark.parametrize('data,classes,crop', [('cifar10', 10, 32),
                                               ('cifar100', 100, 32),
                                               ('stl10', 10, 96),
                                               ('tiny-imagenet', 200, 64)])
def test_the_papers_linear_protocol(data, classes, crop):
    """Section 4.2: 100 epochs, lr 10 divided by 10 at 60 and 80, no weight
    decay, batch 512, a frozen backbone; the set and preprocessing of the
    pre-training configs."""
    cfg = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', 'benchmarks', 'linear',
                 f'resnet18_8xb64-linear-step-100e_{data}.py'))
    pre = Config.fromfile(
        osp.join(FOLDER, f'byol-ccrop_resnet18_8xb64-coslr-500e_{data}.py'))
    assert cfg.model.backbone.type == pre.model.backbone.type
    assert cfg.model.backbone.frozen_stages == 4
    assert cfg.model.head.num_classes == classes
    opt = cfg.optim_wrapper.optimizer
    assert (opt.lr, opt.momentum, opt.weight_decay) == (10., 0.9, 0.)
    (sched, ) = cfg.param_scheduler
    assert (sched.type, sched.milestones, sched.gamma) == ('MultiStepLR',
                                                           [60, 80], 0.1)
    assert cfg.train_cfg.max_epochs == 100
    assert cfg.train_dataloader.batch_size * 8 == 512
    for key in ('mean', 'std', 'to_rgb'):
        assert cfg.data_preprocessor[key] == pre.data_preprocessor[key], key
    assert cfg.train_dataloader.dataset.type == \
        pre.train_dataloader.dataset.type
    crops = [
        t for t in cfg.train_dataloader.dataset.pipeline
        if t['type'] == 'RandomResizedCrop'
    ]
    assert [c['scale'] for c in crops] == [crop]
