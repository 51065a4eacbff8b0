"""Launch tools/train.py on the tiny synthetic set, optionally through a
launcher that SIGKILLs the run at a chosen point, for the checkpoint-safety
and exact-resume tests."""
import os
import sys

import fork_server
from tool_runs import REPO_ROOT

BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'

# SIGKILL while writing the KILL_AT_SAVE-th checkpoint, half of it written
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

# SIGKILL in the middle of training iteration KILL_AT_ITER (0-based, global):
# its batch loaded, the forward pass and the update not done
KILL_IN_STEP = '''
import os
import runpy
import signal
import sys

from mmengine.runner import EpochBasedTrainLoop

run_iter = EpochBasedTrainLoop.run_iter


def run_iter_or_die(self, idx, data_batch):
    if self._iter == int(os.environ['KILL_AT_ITER']):
        os.kill(os.getpid(), signal.SIGKILL)
    return run_iter(self, idx, data_batch)


EpochBasedTrainLoop.run_iter = run_iter_or_die
script, sys.argv = sys.argv[1], sys.argv[1:]
runpy.run_path(script, run_name='__main__')
'''


def train_tiny(args,
               data_root,
               epochs,
               hook_type='CheckpointHook',
               launcher=None,
               env=None,
               config=BYOL,
               options=(),
               num_workers=0):
    """tools/train.py on the tiny set (batch 4, ``num_workers`` workers), a
    checkpoint every epoch and only the last kept, from the repository
    root; later ``options`` override these."""
    cmd = [sys.executable]
    if launcher:
        cmd.append(launcher)
    cmd += [
        'tools/train.py', config, *args, '--cfg-options',
        f'train_dataloader.dataset.data_root={data_root}',
        'train_dataloader.batch_size=4',
        f'train_dataloader.num_workers={num_workers}',
        f'train_dataloader.persistent_workers={num_workers > 0}',
        f'train_cfg.max_epochs={epochs}', 'default_hooks.logger.interval=1',
        f'default_hooks.checkpoint.type={hook_type}',
        'default_hooks.checkpoint.interval=1',
        'default_hooks.checkpoint.max_keep_ckpts=1', *options
    ]
    return fork_server.run(
        cmd,
        cwd=REPO_ROOT,
        env=dict(os.environ, OMP_NUM_THREADS='1', **(env or {})),
        timeout=900)
