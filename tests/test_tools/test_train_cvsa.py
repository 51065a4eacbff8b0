"""A few iterations of the synthetic CVSA config with tools/train.py (one
process) and tools/dist_train.sh (2 CPU processes)."""
import math
import os.path as osp

import torch
from tool_runs import dist_train, scalars, tiny_options, train

CVSA = 'configs/cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py'


def load_checkpoint(path):
    # weights_only=True (torch's default) with mmfgssl's allow-list
    return torch.load(path)


def cvsa_options(data_root, max_epochs):
    # the backgrounds ('train_set') follow the training set's data_root
    return tiny_options(data_root, max_epochs)


def check_losses(rows):
    assert rows
    for r in rows:
        assert math.isfinite(r['loss_cont']) and math.isfinite(r['loss_align'])
        # the logged total is the sum of the two terms
        assert abs(r['loss'] - r['loss_cont'] - r['loss_align']) < 1e-3


def test_train_cvsa_a_few_iterations(tiny_synthetic_cub, tmp_path):
    work_dir = str(tmp_path / 'work')
    train(CVSA, work_dir, cvsa_options(tiny_synthetic_cub, 2))
    rows = scalars(work_dir)
    assert [r['iter'] for r in rows] == list(range(1, 9))
    check_losses(rows)
    state = load_checkpoint(osp.join(work_dir, 'epoch_2.pth'))['state_dict']
    # the target conv projector exists and is an EMA, not a copy
    online = state['dense_neck.branches.0.0.weight']
    target = state['target_net.module.2.branches.0.0.weight']
    assert online.shape == target.shape and not torch.equal(online, target)


def test_dist_train_cvsa_two_cpu_processes(tiny_synthetic_cub, tmp_path):
    work_dir = str(tmp_path / 'work')
    log = dist_train(CVSA, work_dir, cvsa_options(tiny_synthetic_cub, 1))
    assert 'distributed on CPU with gloo, world size 2' in log
    ckpt = load_checkpoint(osp.join(work_dir, 'epoch_1.pth'))
    assert ckpt['meta']['iter'] == 2
    check_losses(scalars(work_dir))
