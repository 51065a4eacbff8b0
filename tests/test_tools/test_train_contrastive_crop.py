"""ContrastiveCrop end to end with tools/train.py and tools/dist_train.sh on
the tiny synthetic set: box updates on 2 CPU processes, identical tables on
both ranks, boxes in checkpoints, and a resume that restores them."""
import os
import os.path as osp

import torch
from tool_runs import (BYOL_CCROP, REPO_ROOT, box_dumps, free_port, run,
                       scalars, tiny_options, train, write_box_dump_config)

import mmfgssl  # noqa: F401  (allow-lists mmengine checkpoint globals)

MOCOV2_CCROP = osp.join(REPO_ROOT, 'configs', 'contrastive_crop',
                        'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py')


def test_dist_train_boxes_identical_on_ranks_and_resumed(
        tiny_synthetic_cub, tmp_path):
    config = write_box_dump_config(tmp_path, MOCOV2_CCROP)
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
        ranks = box_dumps(work_dir, epoch)
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
    ranks = box_dumps(work_dir, 4)
    assert len(ranks) == 2
    for rank in ranks:
        assert torch.equal(rank['boxes'], tables[3])
        assert rank['active']


def test_train_byol_with_contrastive_crop(tiny_synthetic_cub, tmp_path):
    config = write_box_dump_config(tmp_path, BYOL_CCROP)
    work_dir = str(tmp_path / 'work')
    log = train(
        config,
        work_dir,
        tiny_options(tiny_synthetic_cub, 2),
        PYTHONPATH=f'{tmp_path}{os.pathsep}{REPO_ROOT}')
    assert 'boxes updated after epoch 1' in log
    first, second = box_dumps(work_dir, 1)[0], box_dumps(work_dir, 2)[0]
    assert not torch.equal(first['boxes'], torch.tensor(
        [[0., 0., 1., 1.]] * 16))
    assert torch.equal(first['boxes'], second['boxes'])
    assert (first['active'], second['active']) == (False, True)
