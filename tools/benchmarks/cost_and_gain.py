# Copyright (c) OpenMMLab. All rights reserved.
"""What each method costs and what it buys, measured side by side in one run.

Four sections, all on the current machine, in one process:

1. **Pipeline throughput** (one worker process): images per second of each
   training pipeline, image decoding included, on a synthetic set of 224 px
   images generated for the run (the ResNet-50 CUB configs' 224 px views),
   the pipelines taking turns round by round; median over rounds, as a ratio
   to RandomResizedCrop's two-view pipeline.
2. **Training step time** (``model.train_step``: preprocessing, forward,
   loss, backward, optimizer step) of BYOL, BYOL+CVSA, MoCo v2, MoCo v2+GFB
   and BYOL+GFB at one batch size, on a batch of each config's own pipeline,
   the configs alternating step by step; median after warm-up, as a ratio
   to the method's baseline; the peak memory of a step. ResNet-18 synthetic
   configs on a CPU; on a CUDA GPU the ResNet-50 CUB configs with AMP.
3. **ContrastiveCrop update cost**: the seconds of each box update
   (``train/ccrop_update_time`` of ``ContrastiveCropHook``) against the
   seconds of a training epoch without update, from the ContrastiveCrop runs
   of section 4, and projected to the papers' schedules.
4. **Quality under an equal budget**: every method, its baseline and the
   supervised ceiling trained on the background-shortcut synthetic set (or
   ``--data-root``, any CUB-format set) in the CPU localisation regime of
   the synthetic configs (CIFAR-stem ResNet-18, 7 x 7 last stage on 56 px
   views) with the same epochs and seeds; then, on the whole test images
   resized to 64 px: kNN top-1 and leave-one-out retrieval rank-1 of the
   frozen, globally pooled backbone (GFB models also with their Eq. 8
   pooling), MaxBoxAcc of the last-stage activation map and the share of
   its energy inside the ground-truth box (GFB models: also of the GFB
   attention), mean and sample standard deviation over the seeds, and the
   targets (``4b``): baselines >= random init + 5 kNN points, CVSA and DiLo
   >= BYOL + 5 and > twice the larger std, GFB and ContrastiveCrop > the
   larger std, every method above its baseline on its localisation metric,
   CVSA's ``loss_align`` falling by half, ContrastiveCrop's boxes (mean IoU
   with the ground truth >= 0.5, whole-image share <= 20 %), the supervised
   ceiling >= the best self-supervised model + 20.
5. **Diagnostics** of those runs: the loss terms over the first and the last
   tenth of the iterations, ContrastiveCrop's box statistics.
6. **Ablations** (same protocol): CVSA's attention as Eq. 3 writes it and
   cosine with temperature (the default divides by ``sqrt(d)``), and
   ContrastiveCrop with a threshold above each heatmap's mean.

Writes ``results.md`` and ``results.csv`` (one row per measured quantity)
and, with the quality section, ``summary.md`` in ``--work-dir``, and prints
them. ``--only`` runs some sections, ``--methods`` some methods of the
quality section; ``--quick`` shrinks everything (for the tests).

Example:
    python tools/benchmarks/cost_and_gain.py --work-dir work_dirs/benchmarks
"""
import argparse
import os
import os.path as osp
import sys
import time
from datetime import datetime, timezone

import torch
from costgain.ccrop import bench_ccrop
from costgain.data import make_sets
from costgain.pipelines import bench_pipelines
from costgain.quality import bench_quality
from costgain.report import machine, quality_summary, write_results
from costgain.steps import bench_steps, memory_probe
from costgain.tables import ABLATION_CONFIGS, FULL, QUICK, SECTIONS
from costgain.verdicts import select_configs


def parse_args():
    parser = argparse.ArgumentParser(
        description='cost and gain of each method, side by side')
    parser.add_argument(
        '--work-dir',
        default='work_dirs/benchmarks',
        help='where the data, the runs and results.{md,csv} go')
    parser.add_argument(
        '--quick',
        action='store_true',
        help='tiny settings (seconds per section), for the tests')
    parser.add_argument(
        '--seeds', type=int, nargs='+', help='quality seeds (default 0 1 2)')
    parser.add_argument(
        '--epochs', type=int, help='pre-training epochs of section 4')
    parser.add_argument(
        '--step-batch-size', type=int, help='batch size of section 2')
    parser.add_argument(
        '--data-root',
        help='quality section on this CUB-format set (images.txt, '
        'image_class_labels.txt, train_test_split.txt, bounding_boxes.txt, '
        'classes.txt; any number of classes and image size) instead of the '
        'generated background-shortcut set')
    parser.add_argument(
        '--only',
        nargs='+',
        choices=SECTIONS,
        default=list(SECTIONS),
        help='run only these sections (ccrop needs quality)')
    parser.add_argument(
        '--methods',
        nargs='+',
        metavar='NAME',
        help='quality and ablation sections: only these methods (in the '
        'quality section with their baselines), by their names in the '
        'tables, e.g. "BYOL + CVSA"')
    parser.add_argument(
        '--memory-probe', help=argparse.SUPPRESS)  # internal: one config
    parser.add_argument('--probe-root', help=argparse.SUPPRESS)
    parser.add_argument(
        '--device',
        choices=['auto', 'cpu', 'cuda'],
        default='auto',
        help='auto: cuda when available')
    return parser.parse_args()


def main():
    args = parse_args()
    settings = dict(QUICK if args.quick else FULL)
    for key in ('seeds', 'epochs', 'step_batch_size'):
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    if len(settings['seeds']) < 2:
        raise SystemExit('--seeds: give at least 2 seeds to get a spread')
    device = torch.device('cuda' if args.device == 'cuda' or (
        args.device == 'auto' and torch.cuda.is_available()) else 'cpu')
    import mmfgssl  # noqa: F401  registers everything
    if args.memory_probe:
        memory_probe(args.memory_probe, args.probe_root,
                     settings['step_batch_size'], device)
        return
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    start = time.time()
    sections = set(args.only)
    if 'ccrop' in sections and 'quality' not in sections:
        raise SystemExit('--only ccrop needs quality too: the update cost is '
                         'measured in the quality runs')
    roots = make_sets(work_dir, settings, sections, args.data_root)
    rows = []
    if 'pipelines' in sections:
        bench_pipelines(roots, settings, rows)
    if 'steps' in sections:
        bench_steps(roots, settings, device, rows)
    if 'quality' in sections:
        timings = bench_quality(roots, settings, work_dir, rows,
                                select_configs(args.methods))
    if 'ccrop' in sections:
        bench_ccrop(timings, rows)
    if 'ablations' in sections:
        ablations = select_configs(args.methods, ABLATION_CONFIGS)
        if ablations:
            bench_quality(roots, settings, work_dir, rows, ablations,
                          'ablations')
    elapsed = time.time() - start
    header = [
        f'## Benchmarks ({"quick" if args.quick else "full"} run)', '',
        f'- machine: {machine()}; step times on {device.type}',
        '- date: ' + datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        '- command: `python tools/benchmarks/cost_and_gain.py ' +
        ' '.join(sys.argv[1:]) + '`', '- settings: sections ' +
        ', '.join(s for s in SECTIONS if s in sections) +
        f"; quality {settings['epochs']} epochs x seeds {settings['seeds']} "
        'on ' + (f'`{args.data_root}`' if args.data_root else
                 f"the generated set {settings['quality_set']}") +
        f" (56 px views, evaluated at {settings['eval_size']} px); step "
        f"batch {settings['step_batch_size']}; pipelines on 224 px images",
        f'- wall time: {elapsed:.0f} s'
    ]
    text = write_results(rows, work_dir, header)
    print(text)
    if 'quality' in sections:
        summary = quality_summary(rows)
        with open(osp.join(work_dir, 'summary.md'), 'w') as f:
            f.write(summary)
        print(summary)
    print(f'written: {osp.join(work_dir, "results.md")}, '
          f'{osp.join(work_dir, "results.csv")}')


if __name__ == '__main__':
    main()
