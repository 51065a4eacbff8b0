"""Run the repository's tools from the tests: tools/train.py options for the
tiny synthetic set, a subprocess runner, the logged scalars, a free port, and
a ContrastiveCrop config that dumps each rank's box table."""
import glob
import json
import os
import os.path as osp
import socket
import sys

import fork_server

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


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


def completed(cmd, cwd=REPO_ROOT, timeout=600, new_process=False, **env_vars):
    """Run ``cmd`` (from the repository root by default) with this
    interpreter's venv first on PATH (dist_train.sh calls `python`), one
    OpenMP thread and ``env_vars``; returns its
    ``subprocess.CompletedProcess`` (text output). ``python SCRIPT ...``
    runs in a child of a fork server (:mod:`fork_server`) unless
    ``new_process``, anything else in a new process."""
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    env = dict(os.environ, PATH=path, OMP_NUM_THREADS='1', **env_vars)
    return fork_server.run(cmd, cwd, env, timeout, new_process)


def call(cmd, **kwargs):
    """:func:`completed`; returns (returncode, stdout, stderr)."""
    proc = completed(cmd, **kwargs)
    return proc.returncode, proc.stdout, proc.stderr


def checked_call(cmd, **kwargs):
    """:func:`call` that must succeed (the log's end in the failure);
    returns its stdout and stderr."""
    returncode, out, err = call(cmd, **kwargs)
    assert returncode == 0, out[-3000:] + err[-5000:]
    return out, err


def run(cmd, **env_vars):
    """Run a command that must succeed; its stdout + stderr."""
    return ''.join(checked_call(cmd, **env_vars))


def train(config, work_dir, options=(), **env_vars):
    """``tools/train.py CONFIG --work-dir WORK_DIR OPTIONS`` that must
    succeed; its log."""
    return run([
        sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
        *options
    ], **env_vars)


def dist_train(config, work_dir, options=(), nproc=2, **env_vars):
    """``tools/dist_train.sh`` on ``nproc`` CPU processes and a free port,
    that must succeed; its log."""
    return run([
        'bash', 'tools/dist_train.sh', config,
        str(nproc), '--work-dir', work_dir, *options
    ],
               PORT=str(free_port()),
               **env_vars)


def loader_options(data_root):
    """``--cfg-options`` entries that point the train / val / test loaders
    at ``data_root``, without worker processes."""
    options = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options += [
            f'{loader}.dataset.data_root={data_root}',
            f'{loader}.num_workers=0', f'{loader}.persistent_workers=False'
        ]
    return options


def scalars(work_dir):
    """The training scalars mmengine logged, one dict per logged iteration."""
    paths = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    rows = []
    for path in paths:
        with open(path) as f:
            rows += [json.loads(line) for line in f if 'loss' in line]
    return rows


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run_python(*args, **kwargs):
    """``python ARGS`` that must succeed, from the repository root by
    default; its stdout."""
    return checked_call([sys.executable, *args], **kwargs)[0]


BYOL_CCROP = osp.join(REPO_ROOT, 'configs', 'contrastive_crop',
                      'byol-ccrop_resnet18_1xb32-coslr-100e_synthcub.py')

# A test-only hook that saves each rank's box table after every epoch.
DUMP_HOOK = '''
import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS


@HOOKS.register_module()
class DumpBoxTableHook(Hook):
    priority = 'LOWEST'

    def after_train_epoch(self, runner):
        table = [h for h in runner.hooks
                 if type(h).__name__ == 'ContrastiveCropHook'][0].box_table
        torch.save(
            dict(boxes=table.boxes.clone(), active=table.is_active),
            f'{runner.work_dir}/boxes_rank{get_rank()}_'
            f'epoch{runner.epoch + 1}.pth')
'''


def write_box_dump_config(tmp_path, base, k=0.6):
    """A config that inherits ``base`` with updates after every epoch from
    epoch 1 on and the dump hook. The threshold is higher than the paper's
    0.1 so that a randomly initialised ResNet-18 gives boxes smaller than
    the image."""
    (tmp_path / 'ccrop_dump.py').write_text(DUMP_HOOK)
    path = tmp_path / 'ccrop_test_config.py'
    path.write_text(
        f'_base_ = {base!r}\n'
        "custom_imports = dict(imports=['mmfgssl', 'ccrop_dump'], "
        'allow_failed_imports=False)\n'
        'custom_hooks = [\n'
        "    dict(type='ContrastiveCropHook', warmup_epochs=1, interval=1, "
        f'k={k}, img_size=96),\n'
        "    dict(type='DumpBoxTableHook')\n"
        ']\n')
    return str(path)


def box_dumps(work_dir, epoch):
    """The box tables the dump hook saved after ``epoch``, one per rank."""
    import torch
    paths = sorted(
        glob.glob(osp.join(work_dir, f'boxes_rank*_epoch{epoch}'
                           '.pth')))
    return [torch.load(p) for p in paths]
