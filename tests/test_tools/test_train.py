"""tools/train.py and tools/dist_train.sh end to end on the tiny synthetic
set: a few iterations of BYOL and MoCo v2, a resume, and 2 CPU processes."""
import glob
import json
import math
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'
MOCOV2 = 'configs/mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py'


def tiny_options(data_root, max_epochs, extra=()):
    """Overrides for a run of 4 iterations per epoch (16 images, batch 4)."""
    return [
        '--cfg-options', f'train_dataloader.dataset.data_root={data_root}',
        'train_dataloader.batch_size=4', 'train_dataloader.num_workers=0',
        f'train_cfg.max_epochs={max_epochs}',
        'default_hooks.logger.interval=1',
        'default_hooks.checkpoint.interval=1',
        'default_hooks.checkpoint.max_keep_ckpts=-1', *extra
    ]


def run(cmd, **env_vars):
    """Run a command from the repository root with this interpreter's venv
    first on PATH (dist_train.sh calls `python`)."""
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    env = dict(os.environ, PATH=path, OMP_NUM_THREADS='1', **env_vars)
    proc = subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc.stdout + proc.stderr


def scalars(work_dir):
    """The training scalars mmengine logged, one dict per logged iteration."""
    paths = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    rows = []
    for path in paths:
        with open(path) as f:
            rows += [json.loads(line) for line in f if 'loss' in line]
    return rows


@pytest.mark.parametrize(
    'config,extra', [
        (BYOL, ()),
        (MOCOV2, ('model.queue_len=16', )),
    ],
    ids=['byol', 'mocov2'])
def test_train_a_few_iterations(config, extra, tiny_synthetic_cub, tmp_path):
    work_dir = str(tmp_path / 'work')
    run([
        sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
        *tiny_options(tiny_synthetic_cub, 2, extra)
    ])
    rows = scalars(work_dir)
    assert [r['iter'] for r in rows] == list(range(1, 9))
    assert all(math.isfinite(r['loss']) for r in rows)
    # the scheduler really ran: the learning rate moved every iteration
    lrs = [r['lr'] for r in rows]
    assert len(set(lrs)) == len(lrs)

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


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_dist_train_two_cpu_processes(tiny_synthetic_cub, tmp_path):
    work_dir = str(tmp_path / 'work')
    log = run(
        ['bash', 'tools/dist_train.sh', BYOL, '2', '--work-dir', work_dir] +
        tiny_options(tiny_synthetic_cub, 1),
        PORT=str(free_port()))
    assert 'distributed on CPU with gloo, world size 2' in log
    ckpt = torch.load(osp.join(work_dir, 'epoch_1.pth'))
    # 16 images over 2 processes of batch 4: 2 iterations per epoch
    assert ckpt['meta']['iter'] == 2
    assert all(math.isfinite(r['loss']) for r in scalars(work_dir))
