# Copyright (c) OpenMMLab. All rights reserved.
"""Settings that follow the papers where the configs used to differ, read
back from the built configs, and a repository that points at nothing
outside itself."""
import glob
import os.path as osp
import re

import pytest
from config_files import load_config

import mmfgssl  # noqa: F401

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CCROP_IN1K = [
    'mocov2-ccrop_resnet50_8xb32-coslr-100e_in1k.py',
    'simclr-ccrop_resnet50_8xb64-coslr-100e_in1k.py',
    'simsiam-ccrop_resnet50_8xb32-coslr-100e_in1k.py',
    'byol-ccrop_resnet50_16xb256-coslr-200e_in1k.py',
]


def load(path):
    return load_config(osp.join(REPO_ROOT, path))


def ccrop_hook(cfg):
    hooks = [h for h in cfg.custom_hooks if h.type == 'ContrastiveCropHook']
    assert len(hooks) == 1
    return hooks[0]


@pytest.mark.parametrize('name', CCROP_IN1K)
def test_imagenet_ccrop_updates_every_10_epochs(name):
    """ContrastiveCrop section 4.2: from epoch 20, every 10 epochs."""
    hook = ccrop_hook(load(f'configs/contrastive_crop/{name}'))
    assert (hook.warmup_epochs, hook.interval) == (20, 10)


def test_authors_interval_variant():
    hook = ccrop_hook(
        load('configs/contrastive_crop/'
             'mocov2-ccrop_resnet50_8xb32-coslr-interval20-100e_in1k.py'))
    assert (hook.warmup_epochs, hook.interval) == (20, 20)


@pytest.mark.parametrize('name', [
    'mocov2-gfb_resnet50_8xb16-coslr-100e_cub.py',
    'byol-gfb_resnet50_8xb16-coslr-100e_cub.py',
    'mocov2-gfb-ccrop_resnet50_8xb16-coslr-100e_cub.py',
])
def test_lcr_nu_goes_with_the_sum_reduction(name):
    model = load(f'configs/lcr/{name}').model
    loss = model.gfb_head.loss
    assert (loss.reduction, loss.loss_weight) == ('sum', 0.01)
    assert model.get('cam_per_image_loss', True)  # Eq. 3 per image


@pytest.mark.parametrize('path', [
    'configs/byol/byol_resnet50_16xb64-coslr-800e_cub.py',
    'configs/cvsa/cvsa_resnet50_16xb64-coslr-800e_cub.py',
    'configs/cvsa/byol_resnet50_16xb256-coslr-200e_in1k.py',
])
def test_cvsa_follows_byol_ema_and_weight_decay(path):
    """CVSA A.2: "follow other training settings of BYOL": EMA 0.996, weight
    decay 1.5e-6."""
    cfg = load(path)
    assert cfg.model.base_momentum == pytest.approx(0.004)
    assert cfg.optim_wrapper.optimizer.weight_decay == pytest.approx(1.5e-6)


def test_cvsa_imagenet_stage1_uses_mocov2_views():
    """CVSA section 3.1: MoCo v2's augmentations for every method."""
    cfg = load('configs/cvsa/byol_resnet50_16xb256-coslr-200e_in1k.py')
    dataset = cfg.train_dataloader.dataset
    assert dataset.type == 'ImageNet'
    views = dataset.pipeline[1]
    assert views.type == 'MultiView' and len(views.transforms) == 1
    types = [t.type for t in views.transforms[0]]
    assert types[0] == 'RandomResizedCrop'
    assert tuple(views.transforms[0][0].crop_ratio_range) == (0.2, 1.)
    jitter = views.transforms[0][1].transforms[0]
    assert (jitter.type, jitter.hue) == ('ColorJitter', 0.1)
    assert cfg.train_cfg.max_epochs == 200


def test_nothing_points_outside_the_repository():
    pattern = re.compile(r'shared/(papers|docs)|methods\.md|\bthe issue\b',
                         re.I)
    found = []
    for ext in ('py', 'md', 'sh', 'txt', 'cfg'):
        for path in glob.glob(
                osp.join(REPO_ROOT, '**', f'*.{ext}'), recursive=True):
            rel = osp.relpath(path, REPO_ROOT)
            if rel.split(osp.sep)[0] in ('.venv', 'data', 'work_dirs'):
                continue
            if rel == osp.join('tests', 'test_configs',
                               'test_fidelity_settings.py'):
                continue
            with open(path, errors='ignore') as f:
                for i, line in enumerate(f, 1):
                    if pattern.search(line):
                        found.append(f'{rel}:{i}: {line.strip()}')
    assert not found, '\n'.join(found)
