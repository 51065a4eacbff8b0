# Copyright (c) OpenMMLab. All rights reserved.
"""MoCo v2 + GFB and BYOL + GFB (LCR) through tools/train.py and
tools/dist_train.sh on the tiny synthetic set, and the retrieval config
through tools/test.py."""
import math
import os
import os.path as osp
import sys

import pytest
import torch
from tool_runs import (REPO_ROOT, box_dumps, dist_train, run, scalars,
                       tiny_options, train, write_box_dump_config)

MOCO_GFB = 'configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py'
BYOL_GFB = 'configs/lcr/byol-gfb_resnet18_1xb32-coslr-100e_synthcub.py'
RETRIEVAL = 'configs/lcr/mocov2-gfb_resnet18_1xb32-retrieval_synthcub.py'
CASES = [(MOCO_GFB, ('model.queue_len=16', )), (BYOL_GFB, ())]


def load_state(path):
    """A checkpoint these tests wrote, loaded as any checkpoint is: with
    ``weights_only=True`` and mmfgssl's allow-list of mmengine's globals."""
    return torch.load(path, map_location='cpu')


def check_rows(rows):
    assert rows
    for r in rows:
        for key in ('loss', 'loss_cl', 'loss_kl'):
            assert math.isfinite(r[key]), (key, r)
        assert r['loss'] == pytest.approx(
            r['loss_cl'] + r['loss_kl'], rel=1e-4, abs=1e-6)
        assert 0 <= r['cam_zero_ratio'] <= 1


@pytest.mark.parametrize('config,extra', CASES, ids=['mocov2-gfb', 'byol-gfb'])
def test_train_a_few_iterations(config, extra, tiny_synthetic_cub, tmp_path):
    work_dir = str(tmp_path / 'work')
    train(config, work_dir, tiny_options(tiny_synthetic_cub, 2, extra))
    rows = scalars(work_dir)
    assert [r['iter'] for r in rows] == list(range(1, 9))
    check_rows(rows)
    first = load_state(osp.join(work_dir, 'epoch_1.pth'))['state_dict']
    second = load_state(osp.join(work_dir, 'epoch_2.pth'))['state_dict']
    # the GFB is saved with the model and was trained
    assert first['gfb_head.conv.weight'].shape == (32, 128, 1, 1)
    assert not torch.equal(first['gfb_head.conv.weight'],
                           second['gfb_head.conv.weight'])

    if config == MOCO_GFB:
        # the retrieval config evaluates the weights with tools/test.py
        weights = str(tmp_path / 'weights.pth')
        torch.save(dict(state_dict=second), weights)
        log = run([
            sys.executable, 'tools/test.py', RETRIEVAL, weights, '--work-dir',
            str(tmp_path / 'test'), '--cfg-options',
            f'test_dataloader.dataset.data_root={tiny_synthetic_cub}',
            'test_dataloader.num_workers=0', 'model.queue_len=16'
        ])
        assert 'retrieval/rank1' in log and 'retrieval/mAP' in log


@pytest.mark.parametrize('config,extra', CASES, ids=['mocov2-gfb', 'byol-gfb'])
def test_dist_train_two_cpu_processes(config, extra, tiny_synthetic_cub,
                                      tmp_path):
    work_dir = str(tmp_path / 'work')
    log = dist_train(config, work_dir,
                     tiny_options(tiny_synthetic_cub, 1, extra))
    assert 'distributed on CPU with gloo, world size 2' in log
    ckpt = load_state(osp.join(work_dir, 'epoch_1.pth'))
    assert ckpt['meta']['iter'] == 2  # 16 images, 2 processes x batch 4
    check_rows(scalars(work_dir))


def test_gfb_with_contrastive_crop_updates_boxes(tiny_synthetic_cub, tmp_path):
    """LCR Table 4 "Ours + ContrastiveCrop": the box update hook runs on the
    GFB model, and training goes on with the updated boxes."""
    base = osp.join(REPO_ROOT, 'configs', 'lcr',
                    'mocov2-gfb-ccrop_resnet18_1xb32-coslr-100e_synthcub.py')
    config = write_box_dump_config(tmp_path, base)
    work_dir = str(tmp_path / 'work')
    log = train(
        config,
        work_dir,
        tiny_options(tiny_synthetic_cub, 2, ('model.queue_len=16', )),
        PYTHONPATH=f'{tmp_path}{os.pathsep}{REPO_ROOT}')
    assert 'ContrastiveCrop boxes (updated): mean area' in log
    whole = torch.tensor([[0., 0., 1., 1.]] * 16)
    assert not torch.equal(box_dumps(work_dir, 1)[0]['boxes'], whole)
    rows = scalars(work_dir)
    assert [r['iter'] for r in rows] == list(range(1, 9))
    check_rows(rows)
