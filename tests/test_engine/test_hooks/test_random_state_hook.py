"""A run killed at any point and resumed from its last checkpoint ends with
the weights, EMA target, queue, memory bank and boxes of the uninterrupted
run, bit for bit (tiny data).

- every synthetic pre-training config, ``num_workers=0``, killed while
  writing its epoch-2 checkpoint (``--resume`` continues from epoch 1 and
  redoes epoch 2, then 3);
- with two persistent data-loader workers (the configs' setting), killed
  in the middle of a training step; with mmengine's worker seeding
  (``seed_worker_samples=False``) the same case differs (the failure);
- a checkpoint saved inside an epoch (every 3 iterations of 4-iteration
  epochs), killed in a step after it: the resumed run skips the batches
  already trained and ends at the same iteration with the same state."""
import glob
import os.path as osp
import random
import signal

import numpy as np
import pytest
import torch
from config_files import load_config
from kill_and_resume import KILL_IN_SAVE, KILL_IN_STEP, REPO_ROOT, train_tiny

from mmfgssl.engine.hooks import get_random_state, set_random_state
from mmfgssl.utils import METHODS, SUPERVISED

CONFIGS = sorted(
    osp.relpath(c, REPO_ROOT)
    for c in glob.glob(osp.join(REPO_ROOT, 'configs', '*', '*_synthcub.py'))
    if 'retrieval' not in c)  # the retrieval config evaluates, not trains


def test_every_synthetic_pretraining_config_is_covered():
    # each method of the method table (its synthetic config) and each host
    # algorithm of configs/ (a config of every model type) is killed and
    # resumed below
    for method in METHODS:
        if method.name != SUPERVISED:
            assert method.synthetic_config in CONFIGS, method.name
    types = {load_config(osp.join(REPO_ROOT, c)).model.type for c in CONFIGS}
    assert {'BYOL', 'MoCo', 'NPID', 'CVSA', 'BYOLGFB', 'MoCoGFB'} <= types


def test_random_state_round_trip():
    set_random_state(get_random_state())  # a no-op
    state = get_random_state()
    draws = (random.random(), np.random.rand(), torch.rand(1).item())
    set_random_state(state)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == draws


def train(config, data_root, work_dir, *extra, options=(), **kwargs):
    options = ['randomness.deterministic=True', *options]
    if 'ccrop' in config:  # boxes updated after epochs 1 and 2
        options += [
            'custom_hooks.0.warmup_epochs=1', 'custom_hooks.0.interval=1'
        ]
    return train_tiny(['--work-dir', work_dir, *extra],
                      data_root,
                      3,
                      config=config,
                      options=options,
                      **kwargs)


def killed_and_resumed(config, data_root, tmp_path, launcher, env, **kwargs):
    """The uninterrupted run and the killed + resumed one; their work
    dirs."""
    straight = str(tmp_path / 'straight')
    proc = train(config, data_root, straight, **kwargs)
    assert proc.returncode == 0, proc.stderr[-3000:]
    script = tmp_path / 'launcher.py'
    script.write_text(launcher)
    killed = str(tmp_path / 'killed')
    proc = train(
        config, data_root, killed, launcher=str(script), env=env, **kwargs)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    proc = train(config, data_root, killed, '--resume', **kwargs)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return straight, killed, proc.stdout + proc.stderr


def differences(a, b, ccrop):
    """Names of the state entries (and ContrastiveCrop box keys) of two
    checkpoints that are not bit-identical."""
    assert a['state_dict'].keys() == b['state_dict'].keys()
    differ = [
        k for k in a['state_dict']
        if not torch.equal(a['state_dict'][k], b['state_dict'][k])
    ]
    if ccrop:
        boxes = [c['contrastive_crop'] for c in (a, b)]
        assert boxes[0].keys() == boxes[1].keys()
        differ += [
            key for key in boxes[0] if not np.array_equal(
                np.asarray(boxes[0][key]), np.asarray(boxes[1][key]))
        ]
    return differ


def final(work_dir, name='epoch_3.pth'):
    return torch.load(osp.join(work_dir, name))


@pytest.mark.parametrize('config', CONFIGS, ids=osp.basename)
def test_kill_in_save_and_resume_is_bit_identical(tiny_synthetic_cub, tmp_path,
                                                  config):
    straight, killed, _ = killed_and_resumed(config, tiny_synthetic_cub,
                                             tmp_path, KILL_IN_SAVE,
                                             dict(KILL_AT_SAVE='2'))
    # weights, EMA target, queue, memory bank, boxes
    assert not differences(final(straight), final(killed), 'ccrop' in config)


WORKER_CONFIGS = [
    'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
    'configs/contrastive_crop/'
    'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py',
    'configs/cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py',
]


@pytest.mark.parametrize('config', WORKER_CONFIGS, ids=osp.basename)
def test_kill_in_a_step_with_persistent_workers(tiny_synthetic_cub, tmp_path,
                                                config):
    # killed in iteration 6 of 12 (epoch 2), resumed from epoch 1
    straight, killed, _ = killed_and_resumed(
        config,
        tiny_synthetic_cub,
        tmp_path,
        KILL_IN_STEP,
        dict(KILL_AT_ITER='6'),
        num_workers=2)
    assert not differences(final(straight), final(killed), 'ccrop' in config)


def test_mmengine_worker_seeding_makes_the_resume_differ(
        tiny_synthetic_cub, tmp_path):
    # the same case with the hook's worker seeding switched off
    config = tmp_path / 'byol_mmengine_worker_seeding.py'
    config.write_text(
        f'_base_ = {osp.join(REPO_ROOT, WORKER_CONFIGS[0])!r}\n'
        'custom_hooks = [\n'
        "    dict(type='RandomStateHook', seed_worker_samples=False)]\n")
    straight, killed, _ = killed_and_resumed(
        str(config),
        tiny_synthetic_cub,
        tmp_path,
        KILL_IN_STEP,
        dict(KILL_AT_ITER='6'),
        num_workers=2)
    assert differences(final(straight), final(killed), False)


@pytest.mark.parametrize('num_workers', [0, 2])
def test_resume_inside_an_epoch(tiny_synthetic_cub, tmp_path, num_workers):
    config = WORKER_CONFIGS[1]  # MoCo v2 queue + ContrastiveCrop boxes
    by_iter = [
        'default_hooks.checkpoint.by_epoch=False',
        'default_hooks.checkpoint.interval=3'
    ]
    # saved after iterations 3, 6, 9, 12; killed in iteration 7 (0-based),
    # so resumed from iter_6.pth: epoch 2 with 2 of its 4 batches trained
    straight, killed, log = killed_and_resumed(
        config,
        tiny_synthetic_cub,
        tmp_path,
        KILL_IN_STEP,
        dict(KILL_AT_ITER='7'),
        num_workers=num_workers,
        options=by_iter)
    assert 'resumed epoch: 1, iter: 6' in log
    # mmengine's loop alone trains epoch 2's first 2 batches again: 14
    # iterations, another state at iteration 12
    a, b = final(straight, 'iter_12.pth'), final(killed, 'iter_12.pth')
    assert not differences(a, b, True)
    assert b['message_hub']['runtime_info']['iter'] == 11  # the last one
    assert 'skipping its first 2 batches' in log
