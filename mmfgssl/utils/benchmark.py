# Copyright (c) OpenMMLab. All rights reserved.
"""Timing and memory helpers shared by the cost tools.

``tools/analysis_tools/pipeline_cost.py``, ``benchmark_step_time.py`` and
``tools/benchmarks/cost_and_gain.py`` measure with these, so that every
number they print comes from the same procedure: the candidates take turns
(round by round, or step by step) so that a shared machine's load falls on
them alike, and the median is reported.
"""
import copy
import math
import re
import statistics
import time
from typing import Callable, List, Optional, Sequence, Tuple

import torch


def time_dataset_items(datasets: Sequence, num_images: int,
                       rounds: int) -> List[List[float]]:
    """Seconds per item of ``dataset[i]`` (loading and the whole pipeline),
    the datasets taking turns for ``rounds`` rounds of ``num_images`` items.

    Round ``r`` reads indices ``r * num_images + i`` (modulo the length), the
    same indices for every dataset.

    Returns:
        list[list[float]]: Per dataset, the mean seconds per item of each
        round.
    """
    if num_images < 1 or rounds < 1:
        raise ValueError('num_images and rounds must be >= 1, got '
                         f'{num_images} and {rounds}')
    times = [[] for _ in datasets]
    for r in range(rounds):
        for dataset, spent in zip(datasets, times):
            start = time.perf_counter()
            for i in range(num_images):
                dataset[(r * num_images + i) % len(dataset)]
            spent.append((time.perf_counter() - start) / num_images)
    return times


def build_train_step(cfg, seed: int = 0, device='cpu', amp: bool = False):
    """A config's model and optimizer wrapper, ready for
    ``model.train_step(data, optim_wrapper)``.

    SyncBN is built as BN (one process), the model's data preprocessor
    defaults to the config's top-level one, the weights are drawn after
    ``torch.manual_seed(seed)``, the model is moved to ``device`` and put in
    train mode; ``amp`` swaps the optimizer wrapper for
    ``AmpOptimWrapper``.

    Returns:
        tuple: ``(model, optim_wrapper)``.
    """
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import DefaultScope
    from mmpretrain.registry import MODELS

    from .runtime import replace_sync_bn
    model_cfg = copy.deepcopy(cfg.model)
    replace_sync_bn(model_cfg)
    model_cfg.setdefault('data_preprocessor', cfg.get('data_preprocessor'))
    optim_cfg = copy.deepcopy(cfg.optim_wrapper)
    if amp:
        optim_cfg['type'] = 'AmpOptimWrapper'
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        torch.manual_seed(seed)
        model = MODELS.build(model_cfg).to(device)
        model.init_weights()
        optim_wrapper = build_optim_wrapper(model, optim_cfg)
    model.train()
    return model, optim_wrapper


def time_train_steps(
        runs: Sequence[Tuple[object, object, dict]],
        warmup: int,
        steps: int,
        sync: Optional[Callable[[], None]] = None) -> List[List[float]]:
    """Seconds of ``model.train_step(data, optim_wrapper)`` (preprocessing,
    forward, loss, backward, optimizer step), the runs alternating step by
    step; the first ``warmup`` steps of each are not timed.

    Args:
        runs: ``(model, optim_wrapper, data)`` triples.
        warmup (int): Untimed steps.
        steps (int): Timed steps.
        sync (callable, optional): Called before reading the clock, e.g.
            ``torch.cuda.synchronize`` on a GPU.

    Returns:
        list[list[float]]: Per run, the seconds of each timed step.
    """
    times = [[] for _ in runs]
    for step in range(warmup + steps):
        for (model, optim_wrapper, data), spent in zip(runs, times):
            if sync is not None:
                sync()
            start = time.perf_counter()
            model.train_step(data, optim_wrapper)
            if sync is not None:
                sync()
            if step >= warmup:
                spent.append(time.perf_counter() - start)
    return times


class PeakMemory:
    """Peak memory of a block of work, in MiB above the level at
    :meth:`start`.

    On a CUDA device: ``torch.cuda.max_memory_allocated`` after
    ``reset_peak_memory_stats``. On the CPU: the process's resident set
    high-water mark (``VmHWM`` of ``/proc/self/status``), reset to the current
    resident size by writing ``5`` to ``/proc/self/clear_refs`` (Linux). The
    CPU figure is approximate: memory freed by earlier work and reused is not
    counted again, so measure in a fresh process (as ``cost_and_gain.py
    --memory-probe`` does). Where the reset is not allowed,
    :attr:`available` is False and :meth:`stop` returns ``nan``.

    Args:
        device (torch.device | str): Where the work runs.
    """

    def __init__(self, device='cpu'):
        self.device = torch.device(device)
        self.available = True
        self._base = 0.

    @staticmethod
    def _proc_status_kib(field: str) -> float:
        with open('/proc/self/status') as f:
            for line in f:
                match = re.match(rf'{field}:\s+(\d+) kB', line)
                if match:
                    return float(match.group(1))
        raise RuntimeError(f'/proc/self/status has no {field}')

    def start(self) -> None:
        """Mark the level the peak is measured from."""
        if self.device.type == 'cuda':
            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            self._base = torch.cuda.memory_allocated(self.device) / 2**20
            return
        try:
            with open('/proc/self/clear_refs', 'w') as f:
                f.write('5')
            self._base = self._proc_status_kib('VmRSS') / 1024
        except OSError:
            self.available = False

    def stop(self) -> float:
        """The peak since :meth:`start`, in MiB above its level."""
        if self.device.type == 'cuda':
            torch.cuda.synchronize(self.device)
            return torch.cuda.max_memory_allocated(
                self.device) / 2**20 - self._base
        if not self.available:
            return math.nan
        return self._proc_status_kib('VmHWM') / 1024 - self._base


def mean_and_std(values: Sequence[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (``n - 1``; 0 for one value)."""
    values = [float(v) for v in values]
    if not values:
        raise ValueError('mean_and_std needs at least one value')
    mean = statistics.fmean(values)
    std = statistics.stdev(values) if len(values) > 1 else 0.
    return mean, std
