"""tools/train.py and tools/dist_train.sh end to end on the tiny synthetic
set: a few iterations of BYOL and MoCo v2, a resume, and 2 CPU processes."""
import math
import os.path as osp
import sys

import pytest
import torch
from tool_runs import dist_train, run, scalars, tiny_options, train

BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'
MOCOV2 = 'configs/mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py'


@pytest.mark.parametrize(
    'config,extra,lr_by_iter', [
        (BYOL, (), True),
        (MOCOV2, ('model.queue_len=16', ), False),
    ],
    ids=['byol', 'mocov2'])
def test_train_a_few_iterations(config, extra, lr_by_iter, tiny_synthetic_cub,
                                tmp_path):
    work_dir = str(tmp_path / 'work')
    train(config, work_dir, tiny_options(tiny_synthetic_cub, 2, extra))
    rows = scalars(work_dir)
    assert [r['iter'] for r in rows] == list(range(1, 9))
    assert all(math.isfinite(r['loss']) for r in rows)
    # the scheduler really ran: BYOL's warm-up moves the learning rate every
    # iteration, MoCo v2's cosine schedule (by epoch) once per epoch
    lrs = [r['lr'] for r in rows]
    if lr_by_iter:
        assert len(set(lrs)) == len(lrs)
    else:
        assert len(set(lrs[:4])) == len(set(lrs[4:])) == 1
        assert lrs[4] < lrs[0]

    state = torch.load(osp.join(work_dir, 'epoch_2.pth'))['state_dict']
    online = state['backbone.conv1.weight']
    target_key = ('target_net.module.0.conv1.weight'
                  if config == BYOL else 'encoder_k.module.0.conv1.weight')
    # the target network is an EMA of the online one, not a copy of it
    assert not torch.equal(online, state[target_key])


def test_resume_continues_from_saved_iteration(tiny_synthetic_cub, tmp_path):
    work_dir = str(tmp_path / 'work')
    base = [sys.executable, 'tools/train.py', BYOL, '--work-dir', work_dir]
    run(base + tiny_options(tiny_synthetic_cub, 1))
    first = torch.load(osp.join(work_dir, 'epoch_1.pth'))
    assert (first['meta']['epoch'], first['meta']['iter']) == (1, 4)

    log = run(base + ['--resume'] + tiny_options(tiny_synthetic_cub, 2))
    assert 'resumed epoch: 1, iter: 4' in log
    second = torch.load(osp.join(work_dir, 'epoch_2.pth'))
    assert (second['meta']['epoch'], second['meta']['iter']) == (2, 8)
    # the resumed run logged iterations 5..8 only
    rows = scalars(work_dir)
    assert [r['iter'] for r in rows] == list(range(1, 9))


def test_dist_train_two_cpu_processes(tiny_synthetic_cub, tmp_path):
    work_dir = str(tmp_path / 'work')
    log = dist_train(BYOL, work_dir, tiny_options(tiny_synthetic_cub, 1))
    assert 'distributed on CPU with gloo, world size 2' in log
    ckpt = torch.load(osp.join(work_dir, 'epoch_1.pth'))
    # 16 images over 2 processes of batch 4: 2 iterations per epoch
    assert ckpt['meta']['iter'] == 2
    assert all(math.isfinite(r['loss']) for r in scalars(work_dir))
