"""A run killed at any point and resumed from its last checkpoint ends with
the weights, EMA target, queue and boxes of the uninterrupted run, bit for
bit, for one synthetic config of each method and learner (BYOL, MoCo v2,
ContrastiveCrop, CVSA, GFB, DiLo, NPID's memory bank; tiny data,
``num_workers=0``).

The killed run dies while writing its epoch-2 checkpoint (the launcher of
test_atomic_checkpoint_hook.py); ``--resume`` continues from epoch 1 and
redoes epoch 2, then 3."""
import os.path as osp
import random
import signal

import numpy as np
import pytest
import torch
from test_atomic_checkpoint_hook import KILL_IN_SAVE
from test_atomic_checkpoint_hook import train as train_tiny

from mmfgssl.engine.hooks import get_random_state, set_random_state

CONFIGS = {
    'byol': 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
    'mocov2': 'configs/mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py',
    'mocov2-ccrop': 'configs/contrastive_crop/'
    'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py',
    'cvsa': 'configs/cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py',
    'mocov2-gfb':
    'configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py',
    'mocov2-dilo':
    'configs/dilo/mocov2-dilo_resnet18_1xb32-coslr-100e_synthcub.py',
    'npid': 'configs/npid/npid_resnet18_1xb32-steplr-100e_synthcub.py',
}


def test_random_state_round_trip():
    set_random_state(get_random_state())  # a no-op
    state = get_random_state()
    draws = (random.random(), np.random.rand(), torch.rand(1).item())
    set_random_state(state)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == draws


def train(config, data_root, work_dir, *extra, launcher=None, env=None):
    options = ['randomness.deterministic=True']
    if 'ccrop' in config:  # boxes updated after epochs 1 and 2
        options += [
            'custom_hooks.0.warmup_epochs=1', 'custom_hooks.0.interval=1'
        ]
    return train_tiny(['--work-dir', work_dir, *extra],
                      data_root,
                      3,
                      launcher=launcher,
                      env=env,
                      config=config,
                      options=options)


@pytest.mark.parametrize('name', list(CONFIGS))
def test_kill_and_resume_is_bit_identical(tiny_synthetic_cub, tmp_path, name):
    config = CONFIGS[name]
    straight = str(tmp_path / 'straight')
    proc = train(config, tiny_synthetic_cub, straight)
    assert proc.returncode == 0, proc.stderr[-3000:]
    launcher = tmp_path / 'kill_in_save.py'
    launcher.write_text(KILL_IN_SAVE)
    killed = str(tmp_path / 'killed')
    proc = train(
        config,
        tiny_synthetic_cub,
        killed,
        launcher=str(launcher),
        env=dict(KILL_AT_SAVE='2'))
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    proc = train(config, tiny_synthetic_cub, killed, '--resume')
    assert proc.returncode == 0, proc.stderr[-3000:]
    a = torch.load(osp.join(straight, 'epoch_3.pth'))
    b = torch.load(osp.join(killed, 'epoch_3.pth'))
    assert a['state_dict'].keys() == b['state_dict'].keys()
    differ = [
        k for k in a['state_dict']
        if not torch.equal(a['state_dict'][k], b['state_dict'][k])
    ]
    assert not differ, differ[:5]  # weights, EMA target, queue, memory
    if 'ccrop' in name:
        boxes = [c['contrastive_crop'] for c in (a, b)]
        assert boxes[0].keys() == boxes[1].keys()
        for key in boxes[0]:
            assert np.array_equal(
                np.asarray(boxes[0][key]), np.asarray(boxes[1][key])), key
