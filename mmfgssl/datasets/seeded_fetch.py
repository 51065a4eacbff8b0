# Copyright (c) OpenMMLab. All rights reserved.
"""Data-loader pieces that make a resumed run draw what the uninterrupted
run drew: one seed per (run seed, epoch, sample) for the samples loaded in
worker processes, and a sampler that skips the part of an epoch a
mid-epoch checkpoint already trained."""
import itertools
from typing import Iterator, List, Sequence

import numpy as np
import torch
from mmengine.runner import set_random_seed
from torch.utils.data import get_worker_info

__all__ = ['sample_seed', 'SeededSamples', 'SkipFirst']


def sample_seed(seed: int, epoch: int, index: int) -> int:
    """The seed of one sample's pipeline in one epoch.

    Args:
        seed (int): the run's seed (``randomness.seed``, or the one mmengine
            drew), non-negative.
        epoch (int): 0-based epoch.
        index (int): the sample's index in the dataset.

    Returns:
        int: a 32-bit seed, a hash of the three (NumPy's ``SeedSequence``),
        so that neighbouring seeds, epochs or indices give unrelated streams.
    """
    if min(seed, epoch, index) < 0:
        raise ValueError('sample_seed takes non-negative seed, epoch and '
                         f'index, got {(seed, epoch, index)}')
    return int(
        np.random.SeedSequence([seed, epoch, index]).generate_state(1)[0])


class SeededSamples:
    """``dataset.__getitems__`` that seeds each sample's pipeline with
    :func:`sample_seed` before loading it, in data-loader workers.

    torch's map-style fetcher calls ``dataset.__getitems__(indices)`` for a
    batch when the dataset has one. Installed on the training dataset, this
    makes every augmentation drawn in a worker a function of (seed, epoch,
    index) alone: the same whether workers are persistent or restarted,
    however many there are, before or after a resume. In the main process
    (``num_workers=0``) it loads without reseeding: there the restored
    global random state already makes the draws those of the uninterrupted
    run.

    Args:
        dataset: the dataset; ``dataset[i]`` loads sample ``i``.
        seed (int): the run's seed.
        epoch (torch.Tensor): a one-element int64 tensor in shared memory,
            the epoch being loaded; the main process writes it before each
            epoch's loader iterator starts, workers read it.
    """

    def __init__(self, dataset, seed: int, epoch: torch.Tensor):
        self.dataset = dataset
        self.seed = int(seed)
        self.epoch = epoch

    def __call__(self, indices: Sequence[int]) -> List:
        if get_worker_info() is None:
            return [self.dataset[i] for i in indices]
        epoch = int(self.epoch[0])
        samples = []
        for index in indices:
            # Python's, NumPy's and torch's global generators
            set_random_seed(sample_seed(self.seed, epoch, int(index)))
            samples.append(self.dataset[index])
        return samples


class SkipFirst:
    """Iterate a sampler without its first ``num`` indices.

    Put in a batch sampler for the epoch a mid-epoch checkpoint stopped in,
    so that the resumed run loads only the batches that epoch had left. Its
    length stays the wrapped sampler's: the epoch keeps its length in the
    loop's and the schedulers' arithmetic.

    Args:
        sampler: the wrapped sampler (its ``set_epoch`` is called as usual,
            on the data loader's own reference to it).
        num (int): indices to skip, this rank's batches already trained
            times the batch size.
    """

    def __init__(self, sampler, num: int):
        if num < 0:
            raise ValueError(f'SkipFirst: num must be >= 0, got {num}')
        self.sampler = sampler
        self.num = num

    def __iter__(self) -> Iterator[int]:
        return itertools.islice(iter(self.sampler), self.num, None)

    def __len__(self) -> int:
        return len(self.sampler)
