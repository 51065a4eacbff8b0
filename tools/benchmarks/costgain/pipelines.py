# Copyright (c) OpenMMLab. All rights reserved.
"""Section 1: data pipeline throughput."""
import statistics

import numpy as np

from .data import build_train_dataset, load_config
from .report import result
from .tables import PIPELINE_TARGETS, PIPELINES


def bench_pipelines(roots, settings, rows):
    from mmfgssl.datasets import BoxTable
    from mmfgssl.engine import attach_box_table
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
            attach_box_table(dataset.pipeline, table, path)
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
                range=1.0 / min(spent) - 1.0 / max(spent),
                ratio=rate / base,
                target=target,
                meets=None if target is None else rate / base >= target))
        print(f'  {rate:8.1f} images/s  x{rate / base:.2f}  {name}')
