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
import csv
import os
import os.path as osp
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

import numpy as np
import torch
from mmengine.config import Config, ConfigDict
from mmengine.hooks import Hook
from mmengine.logging import MessageHub
from mmengine.model import is_model_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmpretrain.registry import DATASETS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# (name, config, how the data source is set up)
PIPELINES = [
    ('RandomResizedCrop, two views (BYOL)',
     'configs/byol/byol_resnet50_16xb64-coslr-800e_cub.py', None),
    ('SaliencySwap mode I, in-set backgrounds (CVSA)',
     'configs/cvsa/cvsa_resnet50_16xb64-coslr-800e_cub.py', None),
    ('SaliencySwap mode I, in-batch backgrounds (CVSA, no extra decode)',
     'configs/cvsa/cvsa_resnet50_16xb64-coslr-800e_cub-bg-batch.py', None),
    ('SaliencySwap mode II, pasted on other images (CVSA)',
     'configs/cvsa/cvsa_resnet18_16xb64-coslr-400e_cub-bg-coco.py', None),
    ('ContrastiveCrop, boxes active',
     'configs/contrastive_crop/byol-ccrop_resnet50_16xb64-coslr-800e_cub.py',
     'ccrop'),
    ('DiLo copy-paste, masks precomputed by its detector',
     'configs/dilo/byol-dilo_resnet50_16xb64-coslr-800e_cub.py', 'mask_file'),
    ('DiLo copy-paste, saliency detector per image',
     'configs/dilo/byol-dilo_resnet50_16xb64-coslr-800e_cub.py', None),
]
# the throughput targets, as ratios to RandomResizedCrop
PIPELINE_TARGETS = {
    'SaliencySwap': 0.8,
    'ContrastiveCrop': 0.9,
    'DiLo copy-paste, masks precomputed': 0.9,
}

# (name, CPU config, GPU config, baseline name)
STEP_CONFIGS = [
    ('BYOL', 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
     'configs/byol/byol_resnet50_16xb64-coslr-800e_cub.py', None),
    ('BYOL + CVSA', 'configs/cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py',
     'configs/cvsa/cvsa_resnet50_16xb64-coslr-800e_cub.py', 'BYOL'),
    ('MoCo v2', 'configs/mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py',
     'configs/mocov2/mocov2_resnet50_8xb16-coslr-100e_cub.py', None),
    ('MoCo v2 + GFB',
     'configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py',
     'configs/lcr/mocov2-gfb_resnet50_8xb16-coslr-100e_cub.py', 'MoCo v2'),
    ('BYOL + GFB',
     'configs/lcr/byol-gfb_resnet18_1xb32-coslr-100e_synthcub.py',
     'configs/lcr/byol-gfb_resnet50_8xb16-coslr-100e_cub.py', 'BYOL'),
]
STEP_TARGETS = {'BYOL + CVSA': 1.10, 'MoCo v2 + GFB': 1.05, 'BYOL + GFB': 1.05}

# (name, synthetic-set config, baseline name, target): 'learns' (a baseline:
# kNN top-1 >= random init + 5 points), 'strong' (kNN top-1 and rank-1 >= the
# baseline + 5 points and > twice the larger seed std), 'gain' (> the larger
# seed std), 'ceiling' (kNN top-1 >= the best self-supervised model + 20)
SUPERVISED = 'supervised (ceiling)'
QUALITY_CONFIGS = [
    ('BYOL', 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py', None,
     'learns'),
    ('BYOL + CVSA', 'configs/cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py',
     'BYOL', 'strong'),
    ('BYOL + DiLo',
     'configs/dilo/byol-dilo_resnet18_1xb32-coslr-100e_synthcub.py', 'BYOL',
     'strong'),
    ('MoCo v2', 'configs/mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py',
     None, 'learns'),
    ('MoCo v2 + GFB',
     'configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py', 'MoCo v2',
     'gain'),
    ('MoCo v2 + ContrastiveCrop',
     'configs/contrastive_crop/mocov2-ccrop_resnet18_1xb32-coslr-100e_'
     'synthcub.py', 'MoCo v2', 'gain'),
    (SUPERVISED, 'configs/benchmarks/supervised/'
     'supervised_resnet18-cifar_1xb32-coslr-100e_synthcub.py', None,
     'ceiling'),
]
# the papers' schedules the update cost is projected to (hook settings and
# epochs are read from these configs)
CCROP_PAPER_CONFIGS = [
    'configs/contrastive_crop/mocov2-ccrop_resnet50_8xb32-coslr-100e_in1k.py',
    'configs/contrastive_crop/byol-ccrop_resnet50_16xb256-coslr-200e_in1k.py',
    'configs/contrastive_crop/byol-ccrop_resnet50_16xb64-coslr-800e_cub.py',
]
CCROP_TARGET = 0.03

# the background-shortcut set of the synthetic configs' regime
SHORTCUT_SET = dict(
    num_classes=10,
    train_per_class=40,
    test_per_class=30,
    img_size=64,
    background='photo',
    object_colour='class',
    object_scale=(0.35, 0.55))
# the ablations (section 'ablations'): CVSA's attention modes, whose
# 'scaled' default is the 'BYOL + CVSA' row of the quality section, and
# ContrastiveCrop's adaptive threshold
ABLATION_CONFIGS = [
    ('BYOL + SaliencySwap views only (no alignment)',
     'configs/cvsa/byol-ss_resnet18_1xb32-coslr-100e_synthcub.py', 'BYOL',
     'ablation'),
    ('BYOL + CVSA, dot product (Eq. 3)',
     'configs/cvsa/cvsa_resnet18_1xb32-coslr-dotattn-100e_synthcub.py', 'BYOL',
     'ablation'),
    ('BYOL + CVSA, cosine / 0.1',
     'configs/cvsa/cvsa_resnet18_1xb32-coslr-cosattn-100e_synthcub.py', 'BYOL',
     'ablation'),
    ('MoCo v2 + ContrastiveCrop, threshold above the mean',
     'configs/contrastive_crop/mocov2-ccrop_resnet18_1xb32-coslr-meanthr-100e_'
     'synthcub.py', 'MoCo v2', 'ablation'),
]
CCROP_CONFIG = dict(
    (n, p) for n, p, _, _ in QUALITY_CONFIGS)['MoCo v2 + ContrastiveCrop']
SECTIONS = ('pipelines', 'steps', 'quality', 'ccrop', 'ablations')

FULL = dict(
    pipeline_set=dict(num_classes=10, train_per_class=6, test_per_class=1),
    pipeline_images=24,
    pipeline_rounds=5,
    # 300 queries: one query is 0.33 points of rank-1
    quality_set=SHORTCUT_SET,
    step_batch_size=32,
    step_warmup=5,
    step_steps=30,
    quality_batch_size=None,  # the configs' 32
    eval_size=64,
    epochs=16,
    seeds=[0, 1, 2])
QUICK = dict(
    pipeline_set=dict(num_classes=2, train_per_class=3, test_per_class=1),
    pipeline_images=3,
    pipeline_rounds=2,
    quality_set=dict(
        SHORTCUT_SET, num_classes=4, train_per_class=4, test_per_class=2),
    step_batch_size=4,
    step_warmup=1,
    step_steps=2,
    quality_batch_size=4,
    eval_size=64,
    epochs=2,
    seeds=[0, 1])


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


FIELDS = ('section', 'name', 'baseline', 'metric', 'value', 'spread', 'ratio',
          'target', 'meets', 'values', 'config')


def result(**fields):
    """One row of results.csv: ``section``, ``name``, ``metric`` and
    ``value`` always; the other :data:`FIELDS` when they apply."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise KeyError(f'unknown result fields {sorted(unknown)}')
    row = dict.fromkeys(FIELDS)
    row.update(fields)
    return row


# --------------------------------------------------------------- data
MASK_DIR = 'saliency_masks_rbd'


def precompute_masks(images, out):
    """DiLo's detector masks of every image under ``images``, written under
    ``out`` (``tools/dataset_converters/compute_saliency_masks.py``, the
    RBD-style detector of the DiLo configs, Otsu's rule)."""
    subprocess.run([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'dataset_converters',
                 'compute_saliency_masks.py'), images, out, '--method',
        'background_prior'
    ],
                   check=True,
                   stdout=subprocess.DEVNULL)


def ensure_masks(images, masks):
    """:func:`precompute_masks` once per folder (a ``.done`` stamp in it)."""
    stamp = osp.join(masks, '.done')
    if not osp.exists(stamp):
        precompute_masks(images, masks)
        open(stamp, 'w').close()
    return masks


def uses_detector_masks(obj):
    """Whether a config fragment has DiLo's ``LoadSaliencyMask`` (the
    transform that reads the precomputed masks)."""
    if isinstance(obj, dict):
        return obj.get('type') == 'LoadSaliencyMask' or any(
            uses_detector_masks(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(uses_detector_masks(v) for v in obj)
    return False


def make_sets(work_dir, settings, sections, data_root=None):
    """The data of the run: a synthetic CUB-format set of 224 px images for
    the pipelines, and the quality set (``data_root``, or the generated
    background-shortcut set), each generated once per settings. DiLo's
    detector masks are precomputed once for the 224 px set; those of the
    quality set only when a quality run needs them (:func:`bench_quality`),
    under ``work_dir`` for a ``data_root`` (never written into it).

    Returns:
        dict: ``synth224``, ``quality`` and ``quality_masks`` folders (the
        ones the sections need).
    """
    from mmfgssl.datasets.synthetic_cub import make_synthetic_cub
    roots, todo = {}, []
    if {'pipelines', 'steps'} & set(sections):
        todo.append(('synth224', dict(settings['pipeline_set'], img_size=224)))
    if {'quality', 'steps', 'ablations'} & set(sections) and not data_root:
        todo.append(('quality', settings['quality_set']))
    for name, spec in todo:
        root = osp.join(work_dir, 'data', name)
        stamp = osp.join(root, '.settings')
        want = repr(sorted(spec.items()))
        done = False
        if osp.exists(stamp):
            with open(stamp) as f:
                done = f.read() == want
        if not done:
            shutil.rmtree(root, ignore_errors=True)
            make_synthetic_cub(root, seed=0, **spec)
            with open(stamp, 'w') as f:
                f.write(want)
        roots[name] = root
    if 'synth224' in roots:
        roots['synth224_masks'] = ensure_masks(
            osp.join(roots['synth224'], 'images'),
            osp.join(roots['synth224'], MASK_DIR))
    if {'quality', 'steps', 'ablations'} & set(sections):
        if data_root:
            root = osp.abspath(data_root)
            for name in ('images.txt', 'image_class_labels.txt',
                         'train_test_split.txt', 'bounding_boxes.txt'):
                if not osp.isfile(osp.join(root, name)):
                    raise SystemExit(
                        f'--data-root {root}: no {name}; the quality '
                        'section needs a set in CUB-200-2011\'s layout')
            masks = osp.join(work_dir, 'data',
                             'masks_' + re.sub(r'[^\w]+', '_', root)[-60:])
            roots['quality'], roots['quality_masks'] = root, masks
        else:
            roots['quality_masks'] = osp.join(roots['quality'], MASK_DIR)
    return roots


def retarget(obj, root, mask_root=None):
    """Point every dataset of a config fragment at the CUB-format set
    ``root`` (COCO-style backgrounds: its images folder) and, with
    ``mask_root``, have DiLo's ``LoadSaliencyMask`` read the masks
    precomputed under ``mask_root`` instead of running its detector.
    Ground-truth mask files are read from ``root/segmentations``."""
    if isinstance(obj, list):
        return [retarget(o, root, mask_root) for o in obj]
    if not isinstance(obj, dict):
        return obj
    out = {k: retarget(v, root, mask_root) for k, v in obj.items()}
    kind = out.get('type')
    if 'data_root' in out:
        out['data_root'] = root
        if kind == 'COCOImages':
            out.update(data_prefix='images', ann_file='')
    if kind == 'LoadSaliencyMask' and out['source'].get('type') == 'mask_file':
        out['source'] = dict(
            out['source'],
            mask_root=osp.join(root, 'segmentations'),
            img_root=osp.join(root, 'images'))
    elif kind == 'LoadSaliencyMask' and mask_root:
        if out['source'] != dict(type='detector', method='background_prior'):
            raise ValueError(
                'cost_and_gain: the precomputed masks are those of '
                "dict(type='detector', method='background_prior'), not of "
                f"{out['source']}")
        out['source'] = dict(
            type='mask_file',
            mask_root=mask_root,
            img_root=osp.join(root, 'images'))
    return out


def load_config(path):
    cfg = Config.fromfile(osp.join(REPO_ROOT, path))
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    return cfg


def build_train_dataset(cfg, root, mask_root=None):
    ds_cfg = retarget(cfg.train_dataloader.dataset.to_dict(), root, mask_root)
    ds_cfg.pop('_scope_', None)
    return DATASETS.build(ds_cfg)


# --------------------------------------------------------------- 1
def bench_pipelines(roots, settings, rows):
    from mmfgssl.datasets import BoxTable
    from mmfgssl.engine import find_contrastive_crops
    from mmfgssl.utils import time_dataset_items
    print('== 1. data pipeline throughput (one worker process)')
    datasets = []
    for name, path, setup in PIPELINES:
        cfg = load_config(path)
        dataset = build_train_dataset(
            cfg, roots['synth224'],
            roots['synth224_masks'] if setup == 'mask_file' else None)
        if setup == 'ccrop':
            # what the hook does after its warm-up: one shared box table
            table = BoxTable(len(dataset), init_box=(0.2, 0.2, 0.8, 0.8))
            table.set_active(True)
            crops = find_contrastive_crops(dataset.pipeline)
            if not crops:
                raise RuntimeError(f'{path}: no ContrastiveCrop found')
            for crop in crops:
                crop.box_table = table
        dataset[0]  # warm-up: lazy background sets, caches
        datasets.append(dataset)
    np.random.seed(0)
    times = time_dataset_items(datasets, settings['pipeline_images'],
                               settings['pipeline_rounds'])
    base = 1.0 / statistics.median(times[0])
    for (name, path, _), spent in zip(PIPELINES, times):
        rate = 1.0 / statistics.median(spent)
        target = next(
            (t for key, t in PIPELINE_TARGETS.items() if name.startswith(key)),
            None)
        rows.append(
            result(
                section='pipeline',
                name=name,
                config=path,
                baseline='RandomResizedCrop, two views (BYOL)',
                metric='images/s',
                value=rate,
                spread=rate - 1.0 / max(spent),
                ratio=rate / base,
                target=target,
                meets=None if target is None else rate / base >= target))
        print(f'  {rate:8.1f} images/s  x{rate / base:.2f}  {name}')


# --------------------------------------------------------------- 2
def build_step_run(path, root, batch_size, device):
    """A config's model and optimizer wrapper (SyncBN as BN; AMP on a GPU)
    and one batch of its own training pipeline on the set ``root``."""
    from mmengine.dataset import default_collate
    from mmengine.logging import MMLogger

    from mmfgssl.utils import build_train_step
    cfg = load_config(path)
    dataset = build_train_dataset(cfg, root)
    data = default_collate(
        [dataset[i % len(dataset)] for i in range(batch_size)])
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel('ERROR')  # not the optimizer's per-parameter lines
    try:
        model, optim_wrapper = build_train_step(
            cfg, 0, device, amp=device.type == 'cuda')
    finally:
        logger.setLevel(level)
    return model, optim_wrapper, data


def memory_probe(path, root, batch_size, device):
    """Run in a fresh process (``--memory-probe``): the peak memory of
    building ``path``'s model and two training steps, above the level after
    the imports; printed as ``PEAK_MIB=<value>``."""
    from mmfgssl.utils import PeakMemory
    MessageHub.get_current_instance().update_info('max_iters', 10**6)
    memory = PeakMemory(device)
    memory.start()
    model, optim_wrapper, data = build_step_run(path, root, batch_size, device)
    for _ in range(2):
        model.train_step(data, optim_wrapper)
    print(f'PEAK_MIB={memory.stop():.1f}')


def probe_peak_memory(path, root, batch_size, device):
    proc = subprocess.run([
        sys.executable,
        osp.abspath(__file__), '--memory-probe', path, '--probe-root', root,
        '--step-batch-size',
        str(batch_size), '--device', device.type
    ],
                          cwd=REPO_ROOT,
                          capture_output=True,
                          text=True)
    found = re.findall(r'PEAK_MIB=([\d.na]+)', proc.stdout)
    if proc.returncode != 0 or not found:
        raise RuntimeError(f'memory probe of {path} failed:\n' +
                           proc.stdout[-2000:] + proc.stderr[-3000:])
    return float(found[-1])


def bench_steps(roots, settings, device, rows):
    from mmfgssl.utils import time_train_steps
    gpu = device.type == 'cuda'
    root = roots['synth224'] if gpu else roots['quality']
    batch_size = settings['step_batch_size']
    print(f'== 2. training step time on {device.type}, batch {batch_size}')
    MessageHub.get_current_instance().update_info('max_iters', 10**6)
    runs, peaks = [], []
    for name, cpu_path, gpu_path, _ in STEP_CONFIGS:
        path = gpu_path if gpu else cpu_path
        peaks.append(probe_peak_memory(path, root, batch_size, device))
        runs.append(build_step_run(path, root, batch_size, device))
    sync = torch.cuda.synchronize if gpu else None
    times = time_train_steps(runs, settings['step_warmup'],
                             settings['step_steps'], sync)
    medians = {
        name: statistics.median(t)
        for (name, *_), t in zip(STEP_CONFIGS, times)
    }
    for (name, cpu_path, gpu_path,
         base), t, peak in zip(STEP_CONFIGS, times, peaks):
        med = medians[name]
        ratio = med / medians[base] if base else 1.0
        target = STEP_TARGETS.get(name)
        q1, _, q3 = statistics.quantiles(t, n=4) if len(t) > 1 else (med, ) * 3
        rows.append(
            result(
                section='step',
                name=name,
                config=gpu_path if gpu else cpu_path,
                baseline=base or name,
                metric='s/step',
                value=med,
                spread=q3 - q1,
                ratio=ratio,
                target=target,
                meets=None if target is None else ratio <= target))
        rows.append(
            result(
                section='step',
                name=name,
                config=gpu_path if gpu else cpu_path,
                baseline=base or name,
                metric='peak MiB',
                value=peak))
        print(f'  {med:.4f} s/step x{ratio:.3f}  peak {peak:.0f} MiB  '
              f'{name}')


# --------------------------------------------------------------- 4
class EpochTimer(Hook):
    """Seconds of every training epoch (``before_train_epoch`` to its
    ``after_train_epoch``, which at ``VERY_LOW`` priority comes after the
    other hooks'), with the ContrastiveCrop updates that ran inside it."""

    priority = 'VERY_LOW'

    def __init__(self):
        self.epochs, self._start, self._updates = [], None, 0

    def before_train_epoch(self, runner):
        self._start = time.perf_counter()

    def after_train_epoch(self, runner):
        # VERY_LOW: after ContrastiveCropHook's update of this epoch
        hub = runner.message_hub
        updates = (
            hub.get_scalar('train/ccrop_update_time').data[0].tolist()
            if 'train/ccrop_update_time' in hub.log_scalars else [])
        new = updates[self._updates:]
        self._updates = len(updates)
        self.epochs.append(
            dict(seconds=time.perf_counter() - self._start, updates=new))


def scale_schedule(cfg, epochs):
    """The synthetic configs' 100-epoch schedule shrunk to ``epochs``:
    linear warm-up over a tenth, cosine after; ContrastiveCrop updates
    every fifth (warm-up 20 and interval 20 of 100 in the config)."""
    warm = max(1, epochs // 10) if epochs > 1 else 0
    schedulers = []
    if warm:
        schedulers.append(
            dict(
                type='LinearLR',
                start_factor=1e-4,
                by_epoch=True,
                begin=0,
                end=warm,
                convert_to_iter_based=True))
    schedulers.append(
        dict(
            type='CosineAnnealingLR',
            T_max=epochs - warm,
            by_epoch=True,
            begin=warm,
            end=epochs,
            convert_to_iter_based=True))
    cfg.param_scheduler = schedulers
    cfg.train_cfg.max_epochs = epochs
    every = max(1, round(epochs / 5))
    for hook in cfg.get('custom_hooks', []):
        if hook['type'] == 'ContrastiveCropHook':
            hook.update(warmup_epochs=every, interval=every)


def quality_run(path,
                root,
                epochs,
                seed,
                work_dir,
                batch_size=None,
                mask_root=None):
    cfg = load_config(path)
    # DiLo reads the masks its detector gives, precomputed once
    cfg.train_dataloader.dataset = ConfigDict(
        retarget(cfg.train_dataloader.dataset.to_dict(), root, mask_root))
    cfg.train_dataloader.update(num_workers=0, persistent_workers=False)
    if batch_size:
        cfg.train_dataloader.batch_size = batch_size
    for split in ('val', 'test'):  # evaluation is ours, after training
        for key in (f'{split}_dataloader', f'{split}_evaluator',
                    f'{split}_cfg'):
            cfg.pop(key, None)
    scale_schedule(cfg, epochs)
    cfg.randomness = dict(seed=seed)
    cfg.work_dir = work_dir
    cfg.experiment_name = osp.basename(work_dir)
    cfg.default_hooks.checkpoint = None
    cfg.log_level = 'ERROR'
    cfg.launcher = 'none'
    from mmfgssl.utils import replace_sync_bn
    replace_sync_bn(cfg.model)
    runner = Runner.from_cfg(cfg)
    timer = EpochTimer()
    runner.register_hook(timer)
    start = time.perf_counter()
    runner.train()
    seconds = time.perf_counter() - start
    model = runner.model
    if is_model_wrapper(model):
        model = model.module
    return model, seconds, timer.epochs, run_diagnostics(runner.message_hub)


def run_diagnostics(hub):
    """The loss terms at the start and the end of a run (means of its first
    and last tenth of iterations, at least one) and ContrastiveCrop's box
    statistics after its last update, from the message hub."""
    diagnostics = {}
    for key, buffer in hub.log_scalars.items():
        name = key[len('train/'):]
        if name.startswith('loss'):
            values = [float(v) for v in buffer.data[0]]
            tenth = max(1, len(values) // 10)
            first = statistics.fmean(values[:tenth])
            last = statistics.fmean(values[-tenth:])
            diagnostics[f'{name}, first tenth'] = first
            diagnostics[f'{name}, last tenth'] = last
            if first > 0 and last >= 0:  # a fall means something
                diagnostics[f'{name}, fall (%)'] = 100 * (1 - last / first)
        elif name.startswith('ccrop_') and name != 'ccrop_update_time':
            diagnostics[f'{name}, last update'] = buffer.current()
    return diagnostics


def evaluate_quality(model,
                     loaders,
                     preprocessor,
                     num_classes,
                     loc_loader=None):
    """kNN top-1 / rank-1 of the pooled backbone (and of LCR's Eq. 8
    pooling for GFB models) and, with ``loc_loader``, the localisation of
    the last-stage activation map (and of the GFB attention)."""
    from mmfgssl.evaluation import (evaluate_localization, extract_features,
                                    gfb_attention_fn, knn_and_retrieval)
    model.eval()
    out = {}
    feature_fns = {'avg': lambda x: model.backbone(x)[-1].mean(dim=(2, 3))}
    if hasattr(model, 'gfb_pool'):  # LCR Eq. 8
        feature_fns['gfb'] = lambda x: model.gfb_pool(model.backbone(x)[-1])
    for pooling, fn in feature_fns.items():
        feats = [
            extract_features(fn, preprocessor, loader) for loader in loaders
        ]
        out[pooling] = knn_and_retrieval(*feats, num_classes)
    if loc_loader is not None:
        attention_fn = None
        if hasattr(model, 'gfb_head'):
            attention_fn = gfb_attention_fn(model)
        out['avg'].update(
            evaluate_localization(
                model.backbone,
                loc_loader,
                preprocessor,
                attention_fn=attention_fn))
    model.train()
    return out


@torch.no_grad()
def cvsa_agreement(model, cfg, root, num=64):
    """How CVSA's correspondence map ``C`` of a view (Eq. 4) agrees with the
    view's saliency mask (downsampled as in Eq. 5): mean absolute error and
    Pearson correlation, on the first ``num`` training samples of the
    config's own pipeline (two SaliencySwap views with masks, seed 0)."""
    from mmengine.dataset import default_collate

    from mmfgssl.evaluation import correspondence_mask_agreement
    from mmfgssl.models.utils import downsample_mask
    from mmfgssl.visualization import cvsa_correspondence
    dataset = build_train_dataset(cfg, root)
    np.random.seed(0)
    samples = [dataset[i] for i in range(min(num, len(dataset)))]
    model.eval()
    data = model.data_preprocessor(default_collate(samples), False)
    view_q, view_k = data['inputs']  # view_*: B x 3 x H x W
    corr = torch.from_numpy(
        cvsa_correspondence(model, view_q, view_k,
                            upsample=False))  # corr: B x h x w
    mask = model._masks(data['data_samples'], view_q.device)[0]  # B x H x W
    mask = downsample_mask(mask, corr.shape[-2:],
                           model.align_head.mask_antialias)  # B x h x w
    mae, pearson = correspondence_mask_agreement(corr, mask)  # B, B
    model.train()
    return dict(
        cvsa_corr_mask_mae=float(mae.mean()),
        cvsa_corr_mask_pearson=float(pearson.mean()))


def run_tag(name, seed):
    return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-') + f'_seed{seed}'


# diagnostics key -> (metric in the targets table, target, test of the mean)
DIAGNOSTIC_TARGETS = {
    'loss_align, fall (%)':
    ('loss_align, fall (%)', '>= 50', lambda v: v >= 50),
    'ccrop_gt_iou, last update':
    ('ContrastiveCrop box IoU with the ground truth', '>= 0.5',
     lambda v: v >= 0.5),
    'ccrop_whole_image, last update':
    ('ContrastiveCrop whole-image boxes', '<= 0.2', lambda v: v <= 0.2),
}


def quality_verdicts(results, diagnostics, configs=QUALITY_CONFIGS):
    """Targets of the quality section, as result rows' fields.

    Args:
        results (dict): name -> list (one per seed) of
            ``{pooling: {metric: value}}``; ``'random init'`` included.
        diagnostics (dict): ``(name, key)`` -> list of per-seed values.

    Returns:
        list[dict]: ``name``, ``baseline``, ``metric``, ``value`` (the
        method's mean), ``spread`` (its std), ``ratio`` (the gain over the
        reference), ``target`` (in words) and ``meets``.
    """
    from mmfgssl.utils import mean_and_spread

    def stats(name, metric, pooling='avg'):
        return mean_and_spread([r[pooling][metric] for r in results[name]])

    out = []
    ssl = [n for n, _, _, t in configs if t != 'ceiling']
    for name, _, base, target in configs:
        if name not in results or target == 'ablation':
            continue
        if target == 'learns':
            mean, std = stats(name, 'knn_top1')
            ref, ref_std = stats('random init', 'knn_top1')
            out.append(
                dict(
                    name=name,
                    baseline='random init',
                    metric='knn_top1',
                    value=mean,
                    spread=std,
                    ratio=mean - ref,
                    target='gain >= 5',
                    meets=mean - ref >= 5))
        elif target == 'ceiling':
            trained = [(stats(n, 'knn_top1')[0], n) for n in ssl
                       if n in results]
            if not trained:  # nothing self-supervised to compare with
                continue
            best = max(trained)
            mean, std = stats(name, 'knn_top1')
            out.append(
                dict(
                    name=name,
                    baseline=f'best self-supervised ({best[1]})',
                    metric='knn_top1',
                    value=mean,
                    spread=std,
                    ratio=mean - best[0],
                    target='gain >= 20',
                    meets=mean - best[0] >= 20))
        else:
            poolings = ['avg'] + (['gfb'] if 'gfb' in results[name][0] else [])
            for pooling in poolings:
                for metric in ('knn_top1', 'rank1'):
                    mean, std = stats(name, metric, pooling)
                    ref, ref_std = stats(base, metric)
                    gain, bar = mean - ref, max(std, ref_std)
                    if target == 'strong':
                        words, meets = ('gain >= 5 and > 2 x std', gain >= 5
                                        and gain > 2 * bar)
                    else:
                        words, meets = 'gain > std', gain > bar
                    label = metric if pooling == 'avg' else \
                        f'{metric} (Eq. 8)'
                    out.append(
                        dict(
                            name=name,
                            baseline=base,
                            metric=label,
                            value=mean,
                            spread=std,
                            ratio=gain,
                            target=words,
                            meets=meets))
            # localisation, both metrics: MaxBoxAcc of the activation map
            # and the energy inside the box of the method's own map (the GFB
            # attention for GFB models), against the baseline's activation
            energy = 'gfb_box_energy' if 'gfb_box_energy' in results[name][0][
                'avg'] else 'box_energy'
            for own, ref_metric in (('maxboxacc', 'maxboxacc'),
                                    (energy, 'box_energy')):
                mean, std = stats(name, own)
                ref, _ = stats(base, ref_metric)
                out.append(
                    dict(
                        name=name,
                        baseline=base,
                        metric=own,
                        value=mean,
                        spread=std,
                        ratio=mean - ref,
                        target='gain > 0',
                        meets=mean > ref))
    for (name, key), values in diagnostics.items():
        if key in DIAGNOSTIC_TARGETS:
            metric, words, test = DIAGNOSTIC_TARGETS[key]
            mean = statistics.fmean(values)
            out.append(
                dict(
                    name=name,
                    metric=metric,
                    value=mean,
                    target=words,
                    meets=test(mean)))
    return out


def select_configs(names=None, configs=QUALITY_CONFIGS):
    """The entries of ``configs`` named in ``names`` and, in the quality
    section, their baselines (all of them for None), in table order."""
    if not names:
        return configs
    known = {n: b for n, _, b, _ in QUALITY_CONFIGS + ABLATION_CONFIGS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f'--methods: unknown {unknown}; choose from '
                         f'{list(known)}')
    wanted = set(names)
    if configs is QUALITY_CONFIGS:
        wanted |= {known[n] for n in names if known[n]}
    return [c for c in configs if c[0] in wanted]


def bench_quality(roots,
                  settings,
                  work_dir,
                  rows,
                  configs=QUALITY_CONFIGS,
                  section='quality'):
    from mmfgssl.evaluation import (build_eval_loader, build_eval_preprocessor,
                                    build_frozen_backbone)
    from mmfgssl.utils import mean_and_spread
    epochs, seeds = settings['epochs'], settings['seeds']
    root, mask_root = roots['quality'], roots['quality_masks']
    print(f'== {section}: {len(configs)} configs x seeds {seeds}, '
          f'{epochs} epochs each, on {root}')
    if any(
            uses_detector_masks(load_config(path).train_dataloader)
            for _, path, _, _ in configs):
        ensure_masks(osp.join(root, 'images'), mask_root)
    base_cfg = load_config(QUALITY_CONFIGS[0][1])  # BYOL's backbone
    # whole images resized to eval_size: no part of a box is cut, and the
    # test split's loader serves both kNN / retrieval and localisation
    loaders = [
        build_eval_loader(
            base_cfg.train_dataloader.dataset,
            split,
            settings['eval_size'],
            64,
            0,
            root,
            crop=False) for split in ('train', 'test')
    ]
    loc_loader = loaders[1]
    num_classes = len(loaders[0].dataset.metainfo['classes'])
    preprocessor = build_eval_preprocessor(base_cfg)
    results, timings, diagnostics = {}, {}, {}
    # random initialisation, the floor (no training)
    for seed in seeds:
        holder = torch.nn.Module()
        holder.backbone = build_frozen_backbone(
            base_cfg.model.backbone, seed=seed)
        results.setdefault('random init', []).append(
            evaluate_quality(holder, loaders, preprocessor, num_classes,
                             loc_loader))
    for name, path, _, _ in configs:
        for seed in seeds:
            model, seconds, epochs_log, diag = quality_run(
                path, root, epochs, seed,
                osp.join(work_dir, 'quality', run_tag(name, seed)),
                settings['quality_batch_size'], mask_root)
            res = evaluate_quality(model, loaders, preprocessor, num_classes,
                                   loc_loader)
            if hasattr(model, 'align_head'):
                cfg = load_config(path)
                diag.update(cvsa_agreement(model, cfg, root))
            results.setdefault(name, []).append(res)
            timings.setdefault(name, []).append((seconds, epochs_log))
            for key, value in diag.items():
                diagnostics.setdefault((name, key), []).append(value)
            avg = res['avg']
            print(
                f"  {name} seed {seed}: {seconds:.0f} s, kNN "
                f"{avg['knn_top1']:.1f}, rank-1 {avg['rank1']:.1f}, "
                f"MaxBoxAcc {avg['maxboxacc']:.1f}, box energy "
                f"{avg['box_energy']:.1f}" +
                (f", rank-1 (Eq. 8) {res['gfb']['rank1']:.1f}"
                 if 'gfb' in res else ''),
                flush=True)
            del model
    verdicts = quality_verdicts(results, diagnostics, configs)
    baselines = {name: base for name, _, base, _ in configs}
    configs = {name: path for name, path, _, _ in configs}
    metrics = ('knn_top1', 'rank1', 'maxboxacc', 'box_energy',
               'gfb_box_energy')
    for name, runs in results.items():
        for pooling in runs[0]:
            for metric in metrics:
                if metric not in runs[0][pooling]:
                    continue
                values = [r[pooling][metric] for r in runs]
                mean, spread = mean_and_spread(values)
                rows.append(
                    result(
                        section=section,
                        name=name,
                        config=configs.get(name, ''),
                        baseline=baselines.get(name) or '',
                        metric=metric
                        if pooling == 'avg' else f'{metric} (Eq. 8)',
                        value=mean,
                        spread=spread,
                        values=' '.join(f'{v:.1f}' for v in values)))
    for verdict in verdicts:
        rows.append(
            result(
                section='targets',
                config=configs.get(verdict['name'], ''),
                **verdict))
    for name, runs in timings.items():
        seconds = [s for s, _ in runs]
        rows.append(
            result(
                section=section,
                name=name,
                config=configs[name],
                baseline=baselines[name] or '',
                metric='pre-training s',
                value=statistics.median(seconds),
                spread=max(seconds) - min(seconds)))
    for (name, key), values in diagnostics.items():
        mean, spread = mean_and_spread(values)
        rows.append(
            result(
                section='diagnostics',
                name=name,
                config=configs[name],
                metric=key,
                value=mean,
                spread=spread,
                values=' '.join(f'{v:.3g}' for v in values)))
    return timings


# --------------------------------------------------------------- 3
def bench_ccrop(timings, rows):
    from mmfgssl.engine import ccrop_update_epochs
    name = 'MoCo v2 + ContrastiveCrop'
    if name not in timings:
        print(f'== 3. ContrastiveCrop: skipped ({name} not run, see '
              '--methods)')
        return
    updates, plain, total, spent = [], [], 0., 0.
    for seconds, epochs in timings[name]:
        total += sum(e['seconds'] for e in epochs)
        for e in epochs:
            if e['updates']:
                updates.extend(e['updates'])
                spent += sum(e['updates'])
            else:
                plain.append(e['seconds'])
    if not updates or not plain:
        raise RuntimeError(f'{name}: {len(updates)} box updates and '
                           f'{len(plain)} epochs without one; need both')
    ratio = statistics.median(updates) / statistics.median(plain)
    print(f'== 3. ContrastiveCrop: update / epoch = {ratio:.3f} '
          f'({len(updates)} updates)')
    rows.append(
        result(
            section='ccrop',
            name='update / plain epoch (synthetic runs)',
            config=CCROP_CONFIG,
            baseline='',
            metric='ratio',
            value=ratio))
    rows.append(
        result(
            section='ccrop',
            name='share of training time (synthetic runs, measured)',
            config=CCROP_CONFIG,
            baseline='',
            metric='fraction',
            value=spent / total))
    for path in CCROP_PAPER_CONFIGS:
        cfg = Config.fromfile(osp.join(REPO_ROOT, path))
        hook = next(h for h in cfg.custom_hooks
                    if h['type'] == 'ContrastiveCropHook')
        epochs = cfg.train_cfg.max_epochs
        n = len(
            ccrop_update_epochs(hook['warmup_epochs'], hook['interval'],
                                epochs))
        share = n * ratio / (epochs + n * ratio)
        rows.append(
            result(
                section='ccrop',
                name=f'share at the schedule of {osp.basename(path)} '
                f'({n} updates in {epochs} epochs)',
                config=path,
                baseline='',
                metric='fraction',
                value=share,
                target=CCROP_TARGET,
                meets=share <= CCROP_TARGET))


# --------------------------------------------------------------- output
def machine():
    text = (f'{platform.machine()}, {os.cpu_count()} CPU cores, '
            f'torch {torch.__version__}, {torch.get_num_threads()} threads')
    if torch.cuda.is_available():
        text += f', {torch.cuda.get_device_name(0)}'
    return text


def fmt(value, digits=3):
    if value is None or value == '':
        return ''
    if isinstance(value, bool):
        return 'yes' if value else 'NO'
    if isinstance(value, float):
        return f'{value:.{digits}f}'
    return str(value)


def write_results(rows, work_dir, header):
    with open(osp.join(work_dir, 'results.csv'), 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    lines = list(header)
    sections = [
        ('pipeline', '1. Data pipeline throughput, one worker process, '
         '224 px views (median of rounds; spread: median - slowest round)', [
             'pipeline', 'images/s', 'spread', 'x RandomResizedCrop', 'target',
             'meets'
         ], ('name', 'value', 'spread', 'ratio', 'target', 'meets')),
        ('step', '2. Training step time (median after warm-up; spread: '
         'interquartile range) and peak memory of a step', [
             'method', 'metric', 'value', 'spread', 'x baseline', 'target',
             'meets'
         ], ('name', 'metric', 'value', 'spread', 'ratio', 'target', 'meets')),
        ('ccrop', '3. ContrastiveCrop box updates',
         ['what', 'value', 'target',
          'meets'], ('name', 'value', 'target', 'meets')),
        ('quality', '4. Quality under an equal budget (mean and sample std '
         'over seeds; kNN top-1, rank-1, MaxBoxAcc and the share of the '
         'activation energy inside the ground-truth box, in %)',
         ['method', 'baseline', 'metric', 'mean', 'std', 'per seed'
          ], ('name', 'baseline', 'metric', 'value', 'spread', 'values')),
        ('ablations', "6. Ablations: CVSA's attention (Eq. 3 as written, "
         "cosine with temperature; the default, over sqrt(d), is 'BYOL + "
         "CVSA' above) and ContrastiveCrop's threshold (mean and std over "
         'seeds)', ['method', 'baseline', 'metric', 'mean', 'std', 'per seed'],
         ('name', 'baseline', 'metric', 'value', 'spread', 'values')),
        ('targets', '4b. Targets (gain: mean - the reference mean; std: the '
         "method's)", [
             'method', 'reference', 'metric', 'mean', 'std', 'gain', 'target',
             'meets'
         ], ('name', 'baseline', 'metric', 'value', 'spread', 'ratio',
             'target', 'meets')),
        ('diagnostics', '5. Diagnostics of the quality runs (mean and std '
         'over seeds)', ['method', 'what', 'mean', 'std', 'per seed'],
         ('name', 'metric', 'value', 'spread', 'values')),
    ]
    for section, title, heads, keys in sections:
        lines += [
            '', f'### {title}', '', '| ' + ' | '.join(heads) + ' |',
            '|' + '---|' * len(heads)
        ]
        for row in rows:
            if row['section'] == section:
                # percentages with 1 digit; fractions (box IoU, shares), step
                # times and ratios with 3
                percent = section in ('quality', 'targets', 'ablations') and \
                    not row['metric'].startswith('ContrastiveCrop')
                digits = 1 if row['metric'] in ('images/s', 'peak MiB') or \
                    percent else 3
                cells = [
                    fmt(
                        row[k], 3 if k in ('ratio', 'target') and not percent
                        else digits) for k in keys
                ]
                lines.append('| ' + ' | '.join(cells) + ' |')
    text = '\n'.join(lines) + '\n'
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(text)
    return text


def quality_summary(rows):
    """One line per backbone of the quality section: kNN top-1, rank-1,
    MaxBoxAcc and the activation energy inside the box (mean +- std over the
    seeds), and the kNN gain over the baseline."""
    qual = {
        (r['name'], r['metric']): r
        for r in rows if r['section'] == 'quality'
    }
    names = list(dict.fromkeys(n for n, _ in qual))
    metrics = (('knn_top1', 'kNN top-1'), ('rank1', 'rank-1'),
               ('maxboxacc', 'MaxBoxAcc'), ('box_energy', 'energy in box'))
    lines = [
        '| backbone | ' + ' | '.join(m for _, m in metrics) +
        ' | kNN gain over |', '|---' * (len(metrics) + 2) + '|'
    ]
    for name in names:
        if (name, 'knn_top1') not in qual:
            continue
        cells = [
            f"{float(qual[(name, k)]['value']):.1f} +- "
            f"{float(qual[(name, k)]['spread']):.1f}" for k, _ in metrics
        ]
        base = qual[(name, 'knn_top1')]['baseline'] or (
            'random init' if name not in ('random init', SUPERVISED) else '')
        gain = ''
        if base:
            diff = float(qual[(name, 'knn_top1')]['value']) - float(
                qual[(base, 'knn_top1')]['value'])
            gain = f'{diff:+.1f} ({base})'
        lines.append(f"| {name} | {' | '.join(cells)} | {gain} |")
    return '\n'.join(lines) + '\n'


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
