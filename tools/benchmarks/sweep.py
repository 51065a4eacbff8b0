"""Hyper-parameter sweep of a linear-probe or fine-tune benchmark config with
the CVSA protocol (AAAI 2022, appendix A.1), selected on validation.

1. A validation split is carved from the TRAINING split: a class-balanced,
   seeded ``--val-fraction`` of every class (``ClassBalancedSubset``); the
   rest trains. The selection configs have no test loader, evaluator or
   test split anywhere: the test split is never read while choosing.
2. Every setting of the grid trains on the train part and is scored by the
   validation top-1 of its LAST epoch. Grid (methods.md section 5):
   ``linear``: lr {0.1, 0.01, 0.001} (weight decay as in the config, 0);
   ``finetune``: lr {0.1, 0.05, 0.01, 0.005, 0.001} x wd {5e-4, 1e-4}.
3. The best setting (ties: first in grid order) trains again on the whole
   training split and is tested once on the test split.
4. ``results.md`` and ``results.csv`` in ``--work-dir``: one row per
   setting with its validation top-1, the chosen one marked, and its test
   top-1 / top-5.

Each run is a ``tools/train.py`` / ``tools/test.py`` process on one device
(its config is dumped next to its logs). ``--dry-run`` writes the configs
and the plan without training; ``--select-only`` stops after step 2.

Example:
    python tools/benchmarks/sweep.py \
        configs/benchmarks/finetune/resnet50_1xb16-finetune-coslr-50e_cub.py \
        work_dirs/byol_cub/epoch_800.pth --mode finetune \
        --work-dir work_dirs/sweep_byol_cub_finetune
"""
import argparse
import copy
import csv
import glob
import itertools
import json
import os
import os.path as osp
import pickle
import subprocess
import sys

from mmengine.config import Config, DictAction

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
GRIDS = dict(
    linear=dict(lr=[0.1, 0.01, 0.001], wd=[None]),
    finetune=dict(lr=[0.1, 0.05, 0.01, 0.005, 0.001], wd=[5e-4, 1e-4]))


def parse_args():
    parser = argparse.ArgumentParser(
        description='lr (x wd) sweep selected on a validation split carved '
        'from train; tests the chosen setting once')
    parser.add_argument('config', help='a linear or fine-tune config')
    parser.add_argument('checkpoint', help='the pre-trained checkpoint')
    parser.add_argument(
        '--mode', choices=['linear', 'finetune'], required=True)
    parser.add_argument('--work-dir', required=True)
    parser.add_argument(
        '--lrs', type=float, nargs='+', help='override the lr grid')
    parser.add_argument(
        '--wds', type=float, nargs='+', help='override the wd grid')
    parser.add_argument(
        '--val-fraction',
        type=float,
        default=0.2,
        help='share of each class of the train split held out for '
        'selection (default 0.2)')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed of the validation split')
    parser.add_argument(
        '--metric',
        default='accuracy/top1',
        help='the validation metric to maximise')
    parser.add_argument(
        '--select-only',
        action='store_true',
        help='stop after choosing (no retraining, no test)')
    parser.add_argument(
        '--dry-run',
        action='store_true',
        help='write the configs and the plan, train nothing')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries of every run, as key=value pairs')
    return parser.parse_args()


def innermost_dataset(dataset_cfg):
    """The innermost dataset config (through dataset wrappers)."""
    while 'pipeline' not in dataset_cfg and 'dataset' in dataset_cfg:
        dataset_cfg = dataset_cfg['dataset']
    return dataset_cfg


def base_config(args):
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg.model.backbone.init_cfg = dict(
        type='Pretrained', checkpoint=args.checkpoint, prefix='backbone.')
    neck = cfg.model.get('neck') or {}
    if neck.get('type') == 'GFBWeightedPooling':  # LCR Eq. 8 linear probe
        neck.gfb_head.init_cfg = dict(
            type='Pretrained', checkpoint=args.checkpoint, prefix='gfb_head.')
    return cfg


def selection_config(cfg, lr, wd, args):
    """Train on the train part, validate on the held-out part of the TRAIN
    split; no test loader."""
    cfg = copy.deepcopy(cfg)
    train_set = copy.deepcopy(cfg.train_dataloader.dataset)
    val_set = copy.deepcopy(train_set)
    innermost_dataset(val_set)['pipeline'] = copy.deepcopy(
        innermost_dataset(cfg.val_dataloader.dataset)['pipeline'])
    carve = dict(
        type='ClassBalancedSubset', fraction=args.val_fraction, seed=args.seed)
    cfg.train_dataloader.dataset = dict(
        carve, dataset=train_set, complement=True)
    cfg.val_dataloader.dataset = dict(carve, dataset=val_set)
    cfg.val_evaluator = dict(type='Accuracy', topk=(1, ))
    cfg.train_cfg.val_interval = cfg.train_cfg.max_epochs  # last epoch only
    cfg.test_dataloader = None
    cfg.test_evaluator = None
    cfg.test_cfg = None
    set_optim(cfg, lr, wd)
    return cfg


def final_config(cfg, lr, wd):
    """Train on the whole train split, no validation (tested afterwards)."""
    cfg = copy.deepcopy(cfg)
    cfg.val_dataloader = None
    cfg.val_evaluator = None
    cfg.val_cfg = None
    set_optim(cfg, lr, wd)
    return cfg


def set_optim(cfg, lr, wd):
    cfg.optim_wrapper.optimizer.lr = lr
    if wd is not None:
        cfg.optim_wrapper.optimizer.weight_decay = wd


def run(cmd):
    print('+', ' '.join(cmd), flush=True)
    proc = subprocess.run(cmd, cwd=REPO_ROOT)
    if proc.returncode:
        raise SystemExit(f'failed ({proc.returncode}): {" ".join(cmd)}')


def last_metric(work_dir, metric):
    """The metric of the last validation logged in a work dir."""
    value = None
    for path in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line in f:
                row = json.loads(line)
                if metric in row:
                    value = row[metric]
    if value is None:
        raise SystemExit(f'no "{metric}" logged in {work_dir}')
    return float(value)


def last_checkpoint(work_dir):
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        return f.read().strip()


def fmt(value):
    return '-' if value is None else f'{value:g}'


def write_tables(rows, chosen, test, args, cfg):
    header = [
        'lr', 'weight_decay', 'val_' + args.metric, 'chosen', 'test_top1',
        'test_top5'
    ]
    table = []
    for row in rows:
        is_chosen = chosen is not None and row is chosen
        table.append([
            fmt(row['lr']),
            fmt(row['wd'] if row['wd'] is not None else cfg.optim_wrapper.
                optimizer.get('weight_decay', 0.)),
            '-' if row['val'] is None else f"{row['val']:.2f}",
            'yes' if is_chosen else '',
            f"{test.get('accuracy/top1'):.2f}"
            if is_chosen and test and 'accuracy/top1' in test else '',
            f"{test.get('accuracy/top5'):.2f}"
            if is_chosen and test and 'accuracy/top5' in test else '',
        ])
    with open(osp.join(args.work_dir, 'results.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(table)
    with open(osp.join(args.work_dir, 'results.md'), 'w') as f:
        f.write(f'# Sweep: {osp.basename(args.config)} ({args.mode})\n\n'
                f'Checkpoint: `{args.checkpoint}`. Selection: last-epoch '
                f'`{args.metric}` on a class-balanced {args.val_fraction:g} '
                f'of the train split (seed {args.seed}); the chosen setting '
                'retrained on the whole train split and tested once.\n\n')
        f.write('| ' + ' | '.join(header) + ' |\n')
        f.write('|' + '---|' * len(header) + '\n')
        for line in table:
            f.write('| ' + ' | '.join(line) + ' |\n')
    print(open(osp.join(args.work_dir, 'results.md')).read())


def main():
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    cfg = base_config(args)
    grid = GRIDS[args.mode]
    lrs = args.lrs or grid['lr']
    wds = args.wds or grid['wd']
    rows = []
    for lr, wd in itertools.product(lrs, wds):
        name = f'lr{lr:g}' + ('' if wd is None else f'_wd{wd:g}')
        work_dir = osp.join(args.work_dir, 'select', name)
        os.makedirs(work_dir, exist_ok=True)
        config_path = osp.join(work_dir, 'config.py')
        selection_config(cfg, lr, wd, args).dump(config_path)
        rows.append(
            dict(
                lr=lr, wd=wd, work_dir=work_dir, config=config_path, val=None))
    with open(osp.join(args.work_dir, 'plan.json'), 'w') as f:
        json.dump(rows, f, indent=2)
    if args.dry_run:
        print(f'dry run: {len(rows)} selection configs under '
              f'{args.work_dir}/select')
        write_tables(rows, None, None, args, cfg)
        return

    for row in rows:
        run([
            sys.executable, 'tools/train.py', row['config'], '--work-dir',
            row['work_dir']
        ])
        row['val'] = last_metric(row['work_dir'], args.metric)
    chosen = max(rows, key=lambda r: r['val'])  # first of equal ones
    test = None
    if not args.select_only:
        work_dir = osp.join(args.work_dir, 'final')
        os.makedirs(work_dir, exist_ok=True)
        config_path = osp.join(work_dir, 'config.py')
        final_config(cfg, chosen['lr'], chosen['wd']).dump(config_path)
        run([
            sys.executable, 'tools/train.py', config_path, '--work-dir',
            work_dir
        ])
        out = osp.join(work_dir, 'test_metrics.pkl')
        run([
            sys.executable, 'tools/test.py', config_path,
            last_checkpoint(work_dir), '--work-dir', work_dir, '--out', out
        ])
        with open(out, 'rb') as f:
            test = pickle.load(f)
    with open(osp.join(args.work_dir, 'selection.json'), 'w') as f:
        json.dump(
            dict(
                rows=[{
                    k: r[k]
                    for k in ('lr', 'wd', 'val')
                } for r in rows],
                chosen=dict(lr=chosen['lr'], wd=chosen['wd']),
                test=test),
            f,
            indent=2)
    write_tables(rows, chosen, test, args, cfg)


if __name__ == '__main__':
    main()
