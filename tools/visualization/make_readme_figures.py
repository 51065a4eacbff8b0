"""Make the README's pictures on the synthetic set, with the project's own
tools, into one folder (docs/figures by default).

* ``views_{byol,cvsa,dilo}.png``: the two training views of BYOL
  (RandomResizedCrop), CVSA (SaliencySwap, with the view masks) and DiLo
  (copy-paste), by ``browse_views.py``;
* ``attention.png``: activation / GradCAM maps of BYOL beside those of CVSA
  (with its cross-view correspondence), and ``attention_gfb.png``: BYOL
  beside BYOL + GFB (LCR, with its GFB map), each pre-trained here for
  ``--epochs`` epochs, by ``vis_attention.py``;
* ``ccrop_boxes.png``: the ContrastiveCrop boxes of a few images across the
  box updates of a MoCo v2 + ContrastiveCrop run of ``--epochs`` epochs
  (updates every quarter of it), by ``vis_ccrop_boxes.py``, and
  ``views_ccrop.png``: its two views cropped in the last boxes, by
  ``browse_views.py --ccrop-boxes``;
* ``gain.png``: kNN top-1 and MaxBoxAcc of each method against random
  initialisation, with the std over seeds, from the ``results.csv`` of
  ``tools/benchmarks/cost_and_gain.py`` (``--results``; skipped without).

Every PNG is re-encoded with a 256-colour palette when it would exceed
``--max-kb`` (150 KB). Example (8 minutes on 2 CPU cores, measured 2026-12-03):

    python tools/dataset_converters/make_synthetic_cub.py \
        data/synthetic_cub_bg --background photo --object-colour class \
        --img-size 64 --object-scale 0.35 0.55 --train-per-class 40 \
        --test-per-class 30
    python tools/visualization/make_readme_figures.py \
        --data-root data/synthetic_cub_bg \
        --results work_dirs/benchmarks/results.csv --out-dir docs/figures
"""
import argparse
import csv
import os
import os.path as osp
import subprocess
import sys
from collections import OrderedDict

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def config(key):
    """The synthetic config of the method table's ``key`` (byol, cvsa,
    dilo, gfb, ccrop, ...). Imported here: mmfgssl brings in torch and the
    stack, which the tool itself (and its --help) does not need."""
    from mmfgssl.utils.method_table import get_method
    return get_method(key).synthetic_config


def parse_args():
    parser = argparse.ArgumentParser(
        description="The README's pictures on the synthetic set")
    parser.add_argument('--data-root', required=True, help='a CUB-format set')
    parser.add_argument('--out-dir', default='docs/figures')
    parser.add_argument('--work-dir', default='work_dirs/readme_figures')
    parser.add_argument(
        '--results', help="cost_and_gain.py's results.csv (gain.png)")
    parser.add_argument(
        '--epochs', type=int, default=12, help='pre-training epochs')
    parser.add_argument(
        '--batch-size', type=int, default=32, help='pre-training batch')
    parser.add_argument('--num-images', type=int, default=3)
    parser.add_argument('--max-kb', type=float, default=150.)
    return parser.parse_args()


def run(*args):
    """Run one of the project's tools; stop with its output on failure."""
    env = dict(
        os.environ, OMP_NUM_THREADS=os.environ.get('OMP_NUM_THREADS', '2'))
    proc = subprocess.run([sys.executable, *args],
                          cwd=REPO_ROOT,
                          env=env,
                          capture_output=True,
                          text=True)
    if proc.returncode:
        sys.exit(f'make_readme_figures: {" ".join(args[:2])} failed:\n'
                 f'{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}')
    return proc.stdout


def checkpoint_step(args):
    """Epochs between checkpoints (and ContrastiveCrop box updates)."""
    return max(args.epochs // 4, 1)


def pretrain(name, args, extra=()):
    """Pre-train a synthetic config; returns (work dir, last checkpoint)."""
    work_dir = osp.join(args.work_dir, name)
    step = checkpoint_step(args)
    run('tools/train.py', config(name), '--work-dir', work_dir,
        '--cfg-options',
        f'train_dataloader.dataset.data_root={args.data_root}',
        f'train_dataloader.batch_size={args.batch_size}',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        f'train_cfg.max_epochs={args.epochs}',
        f'default_hooks.checkpoint.interval={step}',
        'default_hooks.checkpoint.max_keep_ckpts=-1', *extra)
    return work_dir, osp.join(work_dir, f'epoch_{args.epochs}.pth')


def shrink(path, max_kb):
    """Re-encode a PNG with a palette when it is larger than ``max_kb``."""
    from PIL import Image
    if osp.getsize(path) <= max_kb * 1024:
        return
    with Image.open(path) as img:
        small = img.convert('RGB').quantize(colors=256)
    small.save(path, optimize=True)
    if osp.getsize(path) > max_kb * 1024:
        sys.exit(f'make_readme_figures: {path} is '
                 f'{osp.getsize(path) / 1024:.0f} KB even with a palette '
                 f'(limit {max_kb:.0f} KB); use fewer --num-images')


def read_gains(path):
    """method -> {metric: (mean, std over seeds)} of the quality rows."""
    rows = OrderedDict()
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            if row['section'] != 'quality' or row['metric'] not in (
                    'knn_top1', 'maxboxacc'):
                continue
            std = float(row['std']) if row['std'] else 0.
            rows.setdefault(row['name'],
                            {})[row['metric']] = (float(row['value']), std)
    if not rows:
        sys.exit(f'make_readme_figures: {path} has no quality rows of '
                 'knn_top1 / maxboxacc (a cost_and_gain.py results.csv?)')
    return rows


def gain_chart(results, out):
    """Bars of kNN top-1 and MaxBoxAcc per method, with their seeds' std."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    rows = read_gains(results)
    names = list(rows)
    fig, axes = plt.subplots(1, 2, figsize=(9, 0.45 * len(names) + 1.2))
    for ax, metric, title in zip(axes, ('knn_top1', 'maxboxacc'),
                                 ('kNN top-1 (%)', 'MaxBoxAcc (%)')):
        values = [rows[n].get(metric, (np.nan, 0.))[0] for n in names]
        stds = [rows[n].get(metric, (np.nan, 0.))[1] for n in names]
        y = np.arange(len(names))
        ax.barh(y, values, xerr=stds, color='#4c72b0', capsize=3)
        ax.set_yticks(y)
        ax.set_yticklabels(
            names if ax is axes[0] else [''] * len(names), fontsize=7)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis='x', labelsize=7)
    fig.suptitle(
        f'{osp.basename(osp.dirname(results))}: mean +- std over '
        'seeds',
        fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    plt.close(fig)


def views(name, args, out, *extra):
    """``browse_views.py`` of a config's two training views."""
    run('tools/visualization/browse_views.py',
        config(name), '--data-root', args.data_root, '--num-images',
        str(args.num_images), *extra, '--out', out)


def attention(name, ckpt, byol_ckpt, args, out):
    """``vis_attention.py``: BYOL beside the method ``name``."""
    run('tools/visualization/vis_attention.py', config('byol'), byol_ckpt,
        '--compare', config(name), ckpt, '--data-root', args.data_root,
        '--num-images', str(args.num_images), '--out', out)


def main():
    args = parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    written = []

    def out_path(name):
        path = osp.join(args.out_dir, name)
        written.append(path)
        return path

    for name in ('byol', 'cvsa', 'dilo'):
        views(name, args, out_path(f'views_{name}.png'))

    _, byol_ckpt = pretrain('byol', args)
    for name, png in (('cvsa', 'attention.png'), ('gfb', 'attention_gfb.png')):
        _, ckpt = pretrain(name, args)
        attention(name, ckpt, byol_ckpt, args, out_path(png))

    step = checkpoint_step(args)
    ccrop_dir, ccrop_ckpt = pretrain('ccrop', args,
                                     (f'custom_hooks.0.warmup_epochs={step}',
                                      f'custom_hooks.0.interval={step}'))
    run('tools/visualization/vis_ccrop_boxes.py', ccrop_dir, '--data-root',
        args.data_root, '--indices', *[str(i) for i in range(args.num_images)],
        '--all-epochs', '--out', out_path('ccrop_boxes.png'))
    views('ccrop', args, out_path('views_ccrop.png'), '--ccrop-boxes',
          ccrop_ckpt)

    if args.results:
        gain_chart(args.results, out_path('gain.png'))
    else:
        print('make_readme_figures: no --results, gain.png not made')
    for path in written:
        shrink(path, args.max_kb)
        print(f'{path}: {osp.getsize(path) / 1024:.0f} KB')


if __name__ == '__main__':
    main()
