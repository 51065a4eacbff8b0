"""ContrastiveCrop end to end with tools/train.py and tools/dist_train.sh on
the tiny synthetic set: box updates on 2 CPU processes, identical tables on
both ranks, boxes in checkpoints, and a resume that restores them."""
import glob
import os
import os.path as osp
import sys

import torch
from tool_runs import REPO_ROOT, free_port, run, scalars, tiny_options

import mmfgssl  # noqa: F401  (allow-lists mmengine checkpoint globals)

MOCOV2_CCROP = osp.join(REPO_ROOT, 'configs', 'contrastive_crop',
                        'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py')
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


def write_config(tmp_path, base, k=0.6):
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


def dumps(work_dir, epoch):
    paths = sorted(
        glob.glob(osp.join(work_dir, f'boxes_rank*_epoch{epoch}'
                           '.pth')))
    return [torch.load(p) for p in paths]


def test_dist_train_boxes_identical_on_ranks_and_resumed(
        tiny_synthetic_cub, tmp_path):
    config = write_config(tmp_path, MOCOV2_CCROP)
    work_dir = str(tmp_path / 'work')
    env = dict(PYTHONPATH=f'{tmp_path}{os.pathsep}{REPO_ROOT}')
    opts = ('model.queue_len=16', 'train_dataloader.num_workers=1')
    log = run(
        ['bash', 'tools/dist_train.sh', config, '2', '--work-dir', work_dir] +
        tiny_options(tiny_synthetic_cub, 3, opts),
        PORT=str(free_port()),
        **env)
    assert 'distributed on CPU with gloo, world size 2' in log
    assert 'ContrastiveCrop boxes (updated): mean area' in log

    whole = torch.tensor([[0., 0., 1., 1.]] * 16)
    tables = {}
    for epoch in (1, 2, 3):
        ranks = dumps(work_dir, epoch)
        assert len(ranks) == 2
        # every rank holds the same table
        assert torch.equal(ranks[0]['boxes'], ranks[1]['boxes'])
        assert ranks[0]['active'] == (epoch >= 2)  # warm-up: epoch 1
        tables[epoch] = ranks[0]['boxes']
    # updated after epochs 1 and 2 (not after the last one, 3)
    assert not torch.equal(tables[1], whole)
    assert not torch.equal(tables[2], tables[1])
    assert torch.equal(tables[3], tables[2])
    for epoch in (1, 2, 3):
        ckpt = torch.load(osp.join(work_dir, f'epoch_{epoch}.pth'))
        assert torch.equal(ckpt['contrastive_crop']['boxes'], tables[epoch])
    assert all(r['ccrop_box_area'] < 1 for r in scalars(work_dir)
               if r['epoch'] >= 2 and 'ccrop_box_area' in r)

    # resume from epoch 3 for one more epoch (the last: no update); both
    # ranks restore the boxes and crop with them
    log = run(
        [
            'bash', 'tools/dist_train.sh', config, '2', '--work-dir', work_dir,
            '--resume'
        ] + tiny_options(tiny_synthetic_cub, 4, opts),
        PORT=str(free_port()),
        **env)
    assert 'resumed epoch: 3' in log
    assert 'ContrastiveCrop: restored 16 boxes' in log
    ranks = dumps(work_dir, 4)
    assert len(ranks) == 2
    for rank in ranks:
        assert torch.equal(rank['boxes'], tables[3])
        assert rank['active']


def test_train_byol_with_contrastive_crop(tiny_synthetic_cub, tmp_path):
    config = write_config(tmp_path, BYOL_CCROP)
    work_dir = str(tmp_path / 'work')
    log = run(
        [sys.executable, 'tools/train.py', config, '--work-dir', work_dir] +
        tiny_options(tiny_synthetic_cub, 2),
        PYTHONPATH=f'{tmp_path}{os.pathsep}{REPO_ROOT}')
    assert 'boxes updated after epoch 1' in log
    first, second = dumps(work_dir, 1)[0], dumps(work_dir, 2)[0]
    assert not torch.equal(first['boxes'], torch.tensor(
        [[0., 0., 1., 1.]] * 16))
    assert torch.equal(first['boxes'], second['boxes'])
    assert (first['active'], second['active']) == (False, True)
