# Copyright (c) OpenMMLab. All rights reserved.
"""Section 2: training step time and peak memory."""
import os.path as osp
import re
import statistics
import subprocess
import sys

import torch
from mmengine.logging import MessageHub

from .data import build_train_dataset, load_config
from .report import result
from .tables import REPO_ROOT, STEP_CONFIGS, STEP_TARGETS


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
        osp.join(REPO_ROOT, 'tools', 'benchmarks', 'cost_and_gain.py'),
        '--memory-probe', path, '--probe-root', root, '--step-batch-size',
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
        row = dict(
            section='step',
            name=name,
            config=gpu_path if gpu else cpu_path,
            baseline=base or name)
        rows.append(
            result(
                **row,
                metric='s/step',
                value=med,
                iqr=q3 - q1,
                ratio=ratio,
                target=target,
                meets=None if target is None else ratio <= target))
        rows.append(result(**row, metric='peak MiB', value=peak))
        print(f'  {med:.4f} s/step x{ratio:.3f}  peak {peak:.0f} MiB  '
              f'{name}')
