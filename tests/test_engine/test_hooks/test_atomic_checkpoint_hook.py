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

import pytest
import torch
from kill_and_resume import KILL_IN_SAVE
from kill_and_resume import train_tiny as train
from mmengine.hooks import CheckpointHook
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import DefaultScope

from mmfgssl.engine import AtomicCheckpointHook
from mmfgssl.engine.hooks import atomic_write_text


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
