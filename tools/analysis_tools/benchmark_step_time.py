"""Time the training step of self-supervised configs on the same inputs.

Builds each config's model and optimizer wrapper, then runs
``model.train_step`` (data preprocessing, forward, the loss, backward and the
optimizer step) on one fixed batch of random uint8 views (with a random
rectangle as each view's ``saliency_mask``, for CVSA), the configs
alternating step by step so that a shared machine's load affects them alike.
Prints the median and mean time per step after the warm-up steps.

Example (LCR's claim that the GFB costs no extra time):
    python tools/analysis_tools/benchmark_step_time.py \
        configs/mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py \
        configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py \
        --batch-size 32 --img-size 64 --steps 30
"""
import argparse
import statistics

import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmpretrain.structures import DataSample

from mmfgssl.utils import (add_cfg_options_argument, build_train_step,
                           time_train_steps)


def parse_args():
    parser = argparse.ArgumentParser(description='time training steps')
    parser.add_argument('configs', nargs='+', help='config files')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--img-size', type=int, default=64)
    parser.add_argument('--steps', type=int, default=30, help='timed steps')
    parser.add_argument('--warmup', type=int, default=3, help='untimed steps')
    parser.add_argument('--seed', type=int, default=0)
    add_cfg_options_argument(parser, help='overrides applied to every config')
    return parser.parse_args()


def build(path, args):
    cfg = Config.fromfile(path)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    return build_train_step(cfg, args.seed)


def main():
    args = parse_args()
    MessageHub.get_current_instance().update_info('max_iters', 10**6)
    g = torch.Generator().manual_seed(args.seed)
    shape = (args.batch_size, 3, args.img_size, args.img_size)
    samples = []
    for _ in range(args.batch_size):
        # each view's saliency mask (read by CVSA, ignored by the others):
        # a random rectangle
        masks = []
        for _ in range(2):
            mask = np.zeros((args.img_size, args.img_size), np.uint8)
            x0, y0 = torch.randint(0, args.img_size // 2, (2, ), generator=g)
            mask[y0:y0 + args.img_size // 2, x0:x0 + args.img_size // 2] = 1
            masks.append(mask)
        samples.append(DataSample(saliency_mask=masks))
    data = dict(
        inputs=[
            torch.randint(0, 256, shape, generator=g, dtype=torch.uint8)
            for _ in range(2)
        ],
        data_samples=samples)
    runs = [build(path, args) for path in args.configs]
    times = time_train_steps([(model, optim_wrapper, data)
                              for model, optim_wrapper in runs], args.warmup,
                             args.steps)
    print(f'{args.steps} timed steps each (after {args.warmup} warm-up), '
          f'batch {args.batch_size}, {args.img_size} px, '
          f'{torch.get_num_threads()} threads, alternating configs')
    print('| config | median s/step | mean s/step | relative (median) |')
    print('|---|---|---|---|')
    base = statistics.median(times[0])
    for path, t in zip(args.configs, times):
        med = statistics.median(t)
        print(f'| {path} | {med:.4f} | {statistics.mean(t):.4f} | '
              f'{med / base:.3f} |')


if __name__ == '__main__':
    main()
