# Copyright (c) OpenMMLab. All rights reserved.
"""Per-image cost of the training pipelines of configs, measured together.

Builds each config's training dataset with its pipeline (image loading
included) and times ``dataset[i]`` in one process. The configs take turns
for ``--rounds`` rounds so that they share the machine's load alike; the
median per-image time of each is reported with its ratio to the first.

Example (SaliencySwap vs RandomResizedCrop on CUB):
    python tools/analysis_tools/pipeline_cost.py \\
        configs/byol/byol_resnet50_16xb64-coslr-800e_cub.py \\
        configs/cvsa/cvsa_resnet50_16xb64-coslr-800e_cub.py
"""
import argparse
import copy
import statistics

import numpy as np
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.registry import DATASETS

from mmfgssl.utils import time_dataset_items


def parse_args():
    parser = argparse.ArgumentParser(
        description='Per-image cost of training pipelines')
    parser.add_argument('configs', nargs='+', help='configs to compare')
    parser.add_argument(
        '--data-root',
        help='override the data root of the training set and of the '
        'SaliencySwap background sets of the same type')
    parser.add_argument(
        '--num-images', type=int, default=50, help='images per round')
    parser.add_argument('--rounds', type=int, default=5, help='rounds')
    parser.add_argument('--seed', type=int, default=0, help='numpy seed')
    return parser.parse_args()


def override_root(cfg_dataset, data_root):
    """Set ``data_root`` of the dataset; its ``'train_set'`` backgrounds
    follow it."""
    cfg_dataset['data_root'] = data_root


def main():
    args = parse_args()
    datasets = []
    for path in args.configs:
        cfg = Config.fromfile(path)
        init_default_scope(cfg.get('default_scope', 'mmpretrain'))
        ds_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
        ds_cfg.pop('_scope_', None)
        if args.data_root:
            override_root(ds_cfg, args.data_root)
        dataset = DATASETS.build(ds_cfg)
        dataset[0]  # warm-up: lazy background sets, caches
        datasets.append(dataset)
    np.random.seed(args.seed)
    times = time_dataset_items(datasets, args.num_images, args.rounds)
    base = statistics.median(times[0])
    for path, spent in zip(args.configs, times):
        med = statistics.median(spent)
        print(f'{med * 1e3:8.2f} ms/image (x{med / base:.2f})  '
              f'[{min(spent) * 1e3:.2f}-{max(spent) * 1e3:.2f}]  {path}')


if __name__ == '__main__':
    main()
