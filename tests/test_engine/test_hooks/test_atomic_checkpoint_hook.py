"""A run killed while it writes a checkpoint keeps its previous one.

The run goes through a launcher that SIGKILLs the process in the middle of
writing the epoch-2 checkpoint (half of its bytes written), with the synthetic
BYOL config's ``max_keep_ckpts=1``. With mmengine's ``CheckpointHook`` the
only checkpoint is gone and ``--resume`` fails (the failure reproduced); with
ours the epoch-1 checkpoint and ``last_checkpoint`` are intact and the run
resumes from them to the end."""
import os
import os.path as osp
import signal
import subprocess
import sys

import pytest
import torch
from mmengine.hooks import CheckpointHook
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import DefaultScope

from mmfgssl.engine import AtomicCheckpointHook
from mmfgssl.engine.hooks import atomic_write_text

REPO_ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'

KILL_IN_SAVE = '''
import os
import runpy
import signal
import sys

from mmengine.fileio.backends import LocalBackend

put = LocalBackend.put
saves = {'n': 0}


def put_then_die(self, obj, filepath):
    saves['n'] += 1
    if saves['n'] < int(os.environ['KILL_AT_SAVE']):
        return put(self, obj, filepath)
    with open(filepath, 'wb') as f:  # half of the file, then the kill
        f.write(obj[:len(obj) // 2])
        f.flush()
    os.kill(os.getpid(), signal.SIGKILL)


LocalBackend.put = put_then_die
script, sys.argv = sys.argv[1], sys.argv[1:]
runpy.run_path(script, run_name='__main__')
'''


def train(args,
          data_root,
          epochs,
          hook_type='CheckpointHook',
          launcher=None,
          env=None,
          config=BYOL,
          options=()):
    """tools/train.py on the tiny set (batch 4, no workers), a checkpoint
    every epoch and only the last kept, from the repository root."""
    cmd = [sys.executable]
    if launcher:
        cmd.append(launcher)
    cmd += [
        'tools/train.py', config, *args, '--cfg-options',
        f'train_dataloader.dataset.data_root={data_root}',
        'train_dataloader.batch_size=4', 'train_dataloader.num_workers=0',
        f'train_cfg.max_epochs={epochs}', 'default_hooks.logger.interval=1',
        f'default_hooks.checkpoint.type={hook_type}',
        'default_hooks.checkpoint.interval=1',
        'default_hooks.checkpoint.max_keep_ckpts=1', *options
    ]
    return subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        env=dict(os.environ, OMP_NUM_THREADS='1', **(env or {})),
        capture_output=True,
        text=True,
        timeout=900)


def test_the_config_name_builds_the_atomic_hook():
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        hook = MMENGINE_HOOKS.build(
            dict(type='CheckpointHook', interval=1, max_keep_ckpts=1))
    assert type(hook) is AtomicCheckpointHook
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        hook = MMENGINE_HOOKS.build(dict(type='mmengine.CheckpointHook'))
    assert type(hook) is CheckpointHook


def test_atomic_write_text_replaces_whole(tmp_path):
    path = str(tmp_path / 'last_checkpoint')
    atomic_write_text(path, 'a' * 100)
    atomic_write_text(path, 'b')
    assert open(path).read() == 'b'
    assert os.listdir(tmp_path) == ['last_checkpoint']


@pytest.mark.parametrize('hook_type',
                         ['CheckpointHook', 'mmengine.CheckpointHook'])
def test_a_kill_during_a_save_keeps_the_previous_checkpoint(
        tiny_synthetic_cub, tmp_path, hook_type):
    launcher = tmp_path / 'kill_in_save.py'
    launcher.write_text(KILL_IN_SAVE)
    work = str(tmp_path / 'work')
    # epoch 1 is saved; the process dies writing epoch 2's checkpoint
    proc = train(['--work-dir', work],
                 tiny_synthetic_cub,
                 3,
                 hook_type,
                 launcher=str(launcher),
                 env=dict(KILL_AT_SAVE='2'))
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    resumed = train(['--work-dir', work, '--resume'], tiny_synthetic_cub, 3,
                    hook_type)
    if hook_type == 'mmengine.CheckpointHook':
        # mmengine's hook deleted epoch_1.pth before writing epoch_2.pth
        assert not osp.exists(osp.join(work, 'epoch_1.pth'))
        assert resumed.returncode != 0
        return
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert 'resumed epoch: 1, iter: 4' in resumed.stdout + resumed.stderr
    files = sorted(f for f in os.listdir(work) if f.endswith(('.pth', 'part')))
    assert files == ['epoch_3.pth']  # max_keep_ckpts=1, no .part left
    assert open(osp.join(work, 'last_checkpoint')).read() == osp.join(
        work, 'epoch_3.pth')
    ckpt = torch.load(osp.join(work, 'epoch_3.pth'))
    assert ckpt['meta']['epoch'] == 3
    assert ckpt['message_hub']['runtime_info']['keep_ckpt_ids'] == [3]
