"""tools/benchmarks/sweep.py: the grid, the validation split carved from
train, and selection that never reads the test split."""
import csv
import json
import os
import os.path as osp
import shutil

import pytest
from mmengine.config import Config
from mmpretrain.registry import DATASETS
from tool_runs import loader_options, run_python

import mmfgssl  # noqa: F401

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
LINEAR = ('configs/benchmarks/linear/'
          'resnet18_1xb16-linear-coslr-50e_synthcub.py')
FINETUNE = ('configs/benchmarks/finetune/'
            'resnet18_1xb16-finetune-coslr-50e_synthcub.py')


def sweep(config, ckpt, data_root, work_dir, *extra):
    return run_python(
        'tools/benchmarks/sweep.py',
        config,
        ckpt,
        '--work-dir',
        work_dir,
        *extra,
        '--cfg-options',
        *loader_options(data_root),
        'train_dataloader.batch_size=4',
        'train_cfg.max_epochs=1',
        'default_hooks.checkpoint.interval=1',
        timeout=900)


def test_dry_run_finetune_grid_and_split(tiny_synthetic_cub, tmp_path):
    work_dir = str(tmp_path / 'sweep')
    sweep(FINETUNE, 'some.pth', tiny_synthetic_cub, work_dir, '--mode',
          'finetune', '--dry-run', '--val-fraction', '0.25')
    with open(osp.join(work_dir, 'plan.json')) as f:
        plan = json.load(f)
    # the paper's grid: 5 learning rates x 2 weight decays
    assert sorted((r['lr'], r['wd']) for r in plan) == sorted(
        (lr, wd) for lr in (0.1, 0.05, 0.01, 0.005, 0.001)
        for wd in (5e-4, 1e-4))
    cfg = Config.fromfile(plan[0]['config'])
    assert cfg.test_dataloader is None and cfg.test_evaluator is None
    assert cfg.model.backbone.init_cfg.checkpoint == 'some.pth'
    assert cfg.optim_wrapper.optimizer.lr == plan[0]['lr']
    assert cfg.optim_wrapper.optimizer.weight_decay == plan[0]['wd']
    # validation and training parts both come from the train split
    train = DATASETS.build(cfg.train_dataloader.dataset)
    val = DATASETS.build(cfg.val_dataloader.dataset)
    assert train.dataset.split == val.dataset.split == 'train'
    assert not set(train.indices) & set(val.indices)
    assert len(train) + len(val) == 16 and len(val) == 4  # 1 per class
    with open(osp.join(work_dir, 'results.csv')) as f:
        assert len(list(csv.reader(f))) == 11  # header + 10 settings


def test_dry_run_gfb_linear_probe_loads_backbone_and_branch(
        tiny_synthetic_cub, tmp_path):
    """LCR's Eq. 8 linear probe: one CHECKPOINT argument sets the backbone
    and the GFB of the GFBWeightedPooling neck."""
    work_dir = str(tmp_path / 'sweep')
    sweep(
        'configs/benchmarks/linear/'
        'resnet50-gfb_1xb16-linear-coslr-50e_cub-20pct.py', 'gfb.pth',
        tiny_synthetic_cub, work_dir, '--mode', 'linear', '--dry-run')
    with open(osp.join(work_dir, 'plan.json')) as f:
        plan = json.load(f)
    cfg = Config.fromfile(plan[0]['config'])
    assert cfg.model.neck.type == 'GFBWeightedPooling'
    assert cfg.model.backbone.init_cfg.checkpoint == 'gfb.pth'
    assert dict(cfg.model.neck.gfb_head.init_cfg) == dict(
        type='Pretrained', checkpoint='gfb.pth', prefix='gfb_head.')


def test_dry_run_best_on_test_and_official_val_split(tiny_synthetic_cub,
                                                     tmp_path):
    """--selection test: every setting trains on the whole train split and
    keeps its test loader (the papers' best-on-test, labelled); --val-split:
    the selection runs use the dataset's own splits, nothing carved."""
    best = str(tmp_path / 'best')
    sweep(LINEAR, 'some.pth', tiny_synthetic_cub, best, '--mode', 'linear',
          '--dry-run', '--selection', 'test')
    with open(osp.join(best, 'plan.json')) as f:
        plan = json.load(f)
    cfg = Config.fromfile(plan[0]['config'])
    assert cfg.test_dataloader is not None and cfg.val_dataloader is None
    assert cfg.train_dataloader.dataset.type == 'CUBWithBoxes'
    with open(osp.join(best, 'results.md')) as f:
        assert 'best on test' in f.read()

    official = str(tmp_path / 'official')
    sweep(LINEAR, 'some.pth', tiny_synthetic_cub, official, '--mode', 'linear',
          '--dry-run', '--val-split', 'val', '--select-train-split', 'train')
    with open(osp.join(official, 'plan.json')) as f:
        cfg = Config.fromfile(json.load(f)[0]['config'])
    assert cfg.train_dataloader.dataset.split == 'train'
    assert cfg.val_dataloader.dataset.split == 'val'
    assert cfg.test_dataloader is None


def test_selection_never_reads_test_labels(byol_synthcub_checkpoint,
                                           tiny_synthetic_cub, tmp_path):
    lrs = [
        '--mode', 'linear', '--lrs', '0.5', '0.001', '--val-fraction', '0.25'
    ]
    full = str(tmp_path / 'full')
    sweep(LINEAR, byol_synthcub_checkpoint, tiny_synthetic_cub, full, *lrs,
          '--trials', '2')
    with open(osp.join(full, 'selection.json')) as f:
        first = json.load(f)
    assert len(first['tests']) == 2  # two trials of the chosen setting
    top1 = [t['accuracy/top1'] for t in first['tests']]
    assert all(0 <= v <= 100 for v in top1)
    for trial in (0, 1):  # seeds seed + trial
        cfg = Config.fromfile(
            osp.join(full, 'final', f'trial{trial}', 'config.py'))
        assert cfg.randomness.seed == trial
    with open(osp.join(full, 'results.csv')) as f:
        rows = list(csv.DictReader(f))
    assert [r['chosen'] for r in rows].count('yes') == 1
    chosen = [r for r in rows if r['chosen'] == 'yes'][0]
    assert float(chosen['test_top1']) == pytest.approx(
        sum(top1) / 2, abs=0.006)
    assert chosen['trials'].split() == [f'{v:.2f}' for v in top1]
    assert osp.isfile(osp.join(full, 'results.md'))

    # the same selection on a copy of the set whose test split is wrecked:
    # every test label changed and every test image deleted
    root = str(tmp_path / 'wrecked')
    shutil.copytree(tiny_synthetic_cub, root)
    with open(osp.join(root, 'train_test_split.txt')) as f:
        test_ids = {
            line.split()[0]
            for line in f if line.strip() and line.split()[1] == '0'
        }
    with open(osp.join(root, 'images.txt')) as f:
        for line in f:
            image_id, name = line.split()
            if image_id in test_ids:
                os.remove(osp.join(root, 'images', name))
    labels_file = osp.join(root, 'image_class_labels.txt')
    with open(labels_file) as f:
        lines = [line.split() for line in f if line.strip()]
    with open(labels_file, 'w') as f:
        for image_id, label in lines:
            if image_id in test_ids:
                label = str(int(label) % 4 + 1)  # another class
            f.write(f'{image_id} {label}\n')
    wrecked = str(tmp_path / 'wrecked_sweep')
    sweep(LINEAR, byol_synthcub_checkpoint, root, wrecked, *lrs,
          '--select-only')
    with open(osp.join(wrecked, 'selection.json')) as f:
        second = json.load(f)
    assert second['tests'] == []
    assert second['chosen'] == first['chosen']
    assert [r['val']
            for r in second['rows']] == [r['val'] for r in first['rows']]
