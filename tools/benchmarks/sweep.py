"""Hyper-parameter sweep of a linear-probe or fine-tune benchmark config with
the CVSA protocol (AAAI 2022, appendix A.1), selected on validation.

1. A validation split is carved from the TRAINING split: a class-balanced,
   seeded ``--val-fraction`` of every class (``ClassBalancedSubset``); the
   rest trains. Or the dataset's own validation split is used
   (``--val-split val --select-train-split train``: FGVC-Aircraft's
   official train / val, the final run then trains on the config's split,
   trainval). The selection configs have no test loader, evaluator or test
   split anywhere: the test split is never read while choosing.
2. Every setting of the grid trains on the train part and is scored by the
   validation top-1 of its LAST epoch. Grid (CVSA appendix A.1):
   ``linear``: lr {0.1, 0.01, 0.001} (weight decay as in the config, 0);
   ``finetune``: lr {0.1, 0.05, 0.01, 0.005, 0.001} x wd {5e-4, 1e-4}.
3. The best setting (ties: first in grid order) trains again on the whole
   training split, ``--trials`` times with seeds ``seed, seed + 1, ...``
   (CVSA reports the mean of 3 trials), and each is tested once on the test
   split.
4. ``results.md`` and ``results.csv`` in ``--work-dir``: one row per
   setting with its validation top-1, the chosen one marked, and its test
   top-1 / top-5 (mean and sample std over the trials, and each trial).

``--selection test`` is the papers' "best test performance" of the grid
(CVSA A.1's linear protocol): every setting trains on the whole training
split and the best test top-1 is reported. It is labelled as such in the
tables: choosing on the test split overstates the accuracy.

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
import subprocess
import sys

from mmengine.config import Config

from mmfgssl.utils import add_cfg_options_argument, mean_and_std

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
        '--val-split',
        help="select on this split of the dataset (e.g. FGVC-Aircraft's "
        "'val') instead of carving one from train")
    parser.add_argument(
        '--select-train-split',
        help='with --val-split: the split the selection runs train on '
        "(e.g. 'train'); the final runs keep the config's split")
    parser.add_argument(
        '--trials',
        type=int,
        default=1,
        help='final runs of the chosen setting, seeds seed .. seed + N - 1; '
        'the test top-1 is their mean (the papers: 3)')
    parser.add_argument(
        '--selection',
        choices=['val', 'test'],
        default='val',
        help="val (default): choose on validation; test: the papers' best "
        'test top-1 over the grid (optimistic, labelled as such)')
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
    add_cfg_options_argument(
        parser,
        help='override config entries of every run, as key=value pairs')
    args = parser.parse_args()
    if (args.val_split is None) != (args.select_train_split is None):
        parser.error('--val-split and --select-train-split go together')
    if args.trials < 1:
        parser.error('--trials must be >= 1')
    return args


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
    split (or on ``--val-split``); no test loader."""
    cfg = copy.deepcopy(cfg)
    train_set = copy.deepcopy(cfg.train_dataloader.dataset)
    val_set = copy.deepcopy(train_set)
    innermost_dataset(val_set)['pipeline'] = copy.deepcopy(
        innermost_dataset(cfg.val_dataloader.dataset)['pipeline'])
    if args.val_split:
        innermost_dataset(train_set)['split'] = args.select_train_split
        innermost_dataset(val_set)['split'] = args.val_split
        cfg.train_dataloader.dataset = train_set
        cfg.val_dataloader.dataset = val_set
    else:
        carve = dict(
            type='ClassBalancedSubset',
            fraction=args.val_fraction,
            seed=args.seed)
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


def final_config(cfg, lr, wd, seed=None):
    """Train on the whole train split, no validation (tested afterwards)."""
    cfg = copy.deepcopy(cfg)
    if seed is not None:
        cfg.randomness = dict(cfg.get('randomness') or {}, seed=seed)
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


def write_tables(rows, chosen, tests, args, cfg):
    """``tests``: the test metrics of each final trial of ``chosen``."""
    score = 'val_' + args.metric if args.selection == 'val' else \
        'test_' + args.metric + ' (selection)'
    header = [
        'lr', 'weight_decay', score, 'chosen', 'test_top1', 'test_top1_std',
        'test_top5', 'trials'
    ]
    table = []
    for row in rows:
        is_chosen = chosen is not None and row is chosen and bool(tests)
        top1 = [
            t['accuracy/top1'] for t in tests or [] if 'accuracy/top1' in t
        ] if is_chosen else []
        top5 = [
            t['accuracy/top5'] for t in tests or [] if 'accuracy/top5' in t
        ] if is_chosen else []
        m1, s1 = mean_and_std(top1) if top1 else (None, None)
        if len(top1) < 2:
            s1 = None  # no std of one trial
        m5 = mean_and_std(top5)[0] if top5 else None
        table.append([
            fmt(row['lr']),
            fmt(row['wd'] if row['wd'] is not None else cfg.optim_wrapper.
                optimizer.get('weight_decay', 0.)),
            '-' if row['val'] is None else f"{row['val']:.2f}",
            'yes' if chosen is not None and row is chosen else '',
            '' if m1 is None else f'{m1:.2f}',
            '' if s1 is None else f'{s1:.2f}',
            '' if m5 is None else f'{m5:.2f}',
            ' '.join(f'{v:.2f}' for v in top1),
        ])
    with open(osp.join(args.work_dir, 'results.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(table)
    if args.selection == 'test':
        how = ('**best on test** (the papers\' reporting: every setting '
               'trained on the whole train split and tested, the best test '
               'top-1 kept; optimistic, not a model selection)')
    elif args.val_split:
        how = (f'last-epoch `{args.metric}` on the `{args.val_split}` split '
               f'after training on `{args.select_train_split}`; the chosen '
               'setting retrained on the config\'s training split')
    else:
        how = (f'last-epoch `{args.metric}` on a class-balanced '
               f'{args.val_fraction:g} of the train split (seed {args.seed}); '
               'the chosen setting retrained on the whole train split')
    with open(osp.join(args.work_dir, 'results.md'), 'w') as f:
        f.write(f'# Sweep: {osp.basename(args.config)} ({args.mode})\n\n'
                f'Checkpoint: `{args.checkpoint}`. Selection: {how}; '
                f'{args.trials} trial(s) of the chosen setting (seeds '
                f'{args.seed} to {args.seed + args.trials - 1}), each '
                'tested once: mean and sample std.\n\n')
        f.write('| ' + ' | '.join(header) + ' |\n')
        f.write('|' + '---|' * len(header) + '\n')
        for line in table:
            f.write('| ' + ' | '.join(line) + ' |\n')
    print(open(osp.join(args.work_dir, 'results.md')).read())


def train_and_test(config_path, work_dir):
    """tools/train.py then tools/test.py of the last checkpoint; the test
    metrics."""
    run([
        sys.executable, 'tools/train.py', config_path, '--work-dir', work_dir
    ])
    # JSON (mmengine's dump picks the format by the extension): reading the
    # metrics back runs no code, whatever else is in the work dir
    out = osp.join(work_dir, 'test_metrics.json')
    run([
        sys.executable, 'tools/test.py', config_path,
        last_checkpoint(work_dir), '--work-dir', work_dir, '--out', out
    ])
    with open(out) as f:
        return json.load(f)


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
        if args.selection == 'test':  # the papers' best-on-test
            final_config(cfg, lr, wd, args.seed).dump(config_path)
        else:
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

    tests_of = {}
    for i, row in enumerate(rows):
        if args.selection == 'test':
            tests_of[i] = [train_and_test(row['config'], row['work_dir'])]
            row['val'] = float(tests_of[i][0][args.metric])
        else:
            run([
                sys.executable, 'tools/train.py', row['config'], '--work-dir',
                row['work_dir']
            ])
            row['val'] = last_metric(row['work_dir'], args.metric)
    best = max(range(len(rows)), key=lambda i: rows[i]['val'])  # first tie
    chosen = rows[best]
    tests = tests_of.get(best, [])
    if not args.select_only:
        for trial in range(len(tests), args.trials):
            work_dir = osp.join(args.work_dir, 'final', f'trial{trial}')
            os.makedirs(work_dir, exist_ok=True)
            config_path = osp.join(work_dir, 'config.py')
            final_config(cfg, chosen['lr'], chosen['wd'],
                         args.seed + trial).dump(config_path)
            tests.append(train_and_test(config_path, work_dir))
    with open(osp.join(args.work_dir, 'selection.json'), 'w') as f:
        json.dump(
            dict(
                selection=args.selection,
                rows=[{
                    k: r[k]
                    for k in ('lr', 'wd', 'val')
                } for r in rows],
                chosen=dict(lr=chosen['lr'], wd=chosen['wd']),
                tests=tests),
            f,
            indent=2)
    write_tables(rows, chosen, tests, args, cfg)


if __name__ == '__main__':
    main()
