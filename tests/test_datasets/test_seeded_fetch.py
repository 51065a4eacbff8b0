"""Worker-side draws as a function of (seed, epoch, sample), and the
sampler that skips an epoch's trained batches, on real DataLoaders with
worker processes.

The failure they fix is reproduced first: with mmengine's worker seeding
the workers draw the same numbers every epoch when they restart, and a
resumed run's persistent workers draw other numbers than the uninterrupted
run's."""
import random
from functools import partial

import numpy as np
import pytest
import torch
from mmengine.dataset import DefaultSampler
from mmengine.dataset import worker_init_fn as mmengine_worker_init_fn
from mmengine.runner import set_random_seed
from torch.utils.data import BatchSampler, DataLoader, Dataset

from mmfgssl.datasets import SeededSamples, SkipFirst, sample_seed


class RandomDraws(Dataset):
    """A sample is what a pipeline would draw: one number from each global
    generator, with its index."""

    def __len__(self):
        return 8

    def __getitem__(self, index):
        return (index, random.random(), float(np.random.rand()),
                float(torch.rand(())))


def loader(dataset, persistent, workers=2):
    return DataLoader(
        dataset,
        batch_size=2,
        sampler=DefaultSampler(dataset, shuffle=True, seed=0),
        num_workers=workers,
        persistent_workers=persistent,
        collate_fn=list,
        worker_init_fn=partial(
            mmengine_worker_init_fn, num_workers=workers, rank=0, seed=0))


def epoch_draws(data_loader, epoch, shared_epoch=None):
    data_loader.sampler.set_epoch(epoch)
    if shared_epoch is not None:
        shared_epoch[0] = epoch
    return {s[0]: s[1:] for batch in data_loader for s in batch}


def seeded(dataset, seed=0):
    epoch = torch.zeros(1, dtype=torch.int64).share_memory_()
    dataset.__getitems__ = SeededSamples(dataset, seed, epoch)
    return epoch


def test_sample_seed():
    seeds = {
        sample_seed(s, e, i)
        for s in range(3)
        for e in range(10)
        for i in range(100)
    }
    assert len(seeds) == 3000  # one stream per (seed, epoch, index)
    assert all(0 <= s < 2**32 for s in seeds)
    assert sample_seed(5, 2, 7) == sample_seed(5, 2, 7)
    with pytest.raises(ValueError, match='non-negative'):
        sample_seed(0, -1, 0)


def test_mmengine_seeding_repeats_epochs_and_breaks_resume():
    # restarted workers: epoch 1 draws exactly epoch 0's numbers per slot
    a = loader(RandomDraws(), persistent=False)
    e0, e1 = epoch_draws(a, 0), epoch_draws(a, 1)
    order0 = [k for k in e0]
    order1 = [k for k in e1]
    assert [e0[k] for k in order0] == [e1[k] for k in order1]
    # persistent workers: a loader started at epoch 1 (a resume) draws
    # other numbers than the one that ran epoch 0 first
    straight = loader(RandomDraws(), persistent=True)
    epoch_draws(straight, 0)
    resumed = loader(RandomDraws(), persistent=True)
    assert epoch_draws(straight, 1) != epoch_draws(resumed, 1)


@pytest.mark.parametrize('persistent', [True, False])
def test_seeded_samples_make_draws_a_function_of_seed_epoch_index(persistent):
    straight = RandomDraws()
    s_epoch = seeded(straight)
    straight_loader = loader(straight, persistent)
    draws = [epoch_draws(straight_loader, e, s_epoch) for e in range(3)]
    resumed = RandomDraws()
    r_epoch = seeded(resumed)
    resumed_loader = loader(resumed, persistent)
    assert epoch_draws(resumed_loader, 2, r_epoch) == draws[2]
    assert draws[0] != draws[1] != draws[2]  # new draws every epoch
    # the same in one worker or three, and equal to a slow re-computation:
    # the generators seeded by hand for each sample in this process
    few = RandomDraws()
    few_epoch = seeded(few)
    assert epoch_draws(loader(few, persistent, workers=3), 1,
                       few_epoch) == draws[1]
    for index, values in draws[1].items():
        seed = sample_seed(0, 1, index)
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)  # by hand, not set_random_seed
        assert values == RandomDraws()[index][1:]
    other_seed = RandomDraws()
    o_epoch = seeded(other_seed, seed=1)
    assert epoch_draws(loader(other_seed, persistent), 1, o_epoch) != draws[1]


def test_seeded_samples_do_not_reseed_the_main_process():
    # num_workers=0: the main process's restored stream drives the pipeline
    dataset = RandomDraws()
    seeded(dataset)
    set_random_seed(3)
    batch = dataset.__getitems__([0, 1])
    set_random_seed(3)
    assert batch == [dataset[0], dataset[1]]


def test_skip_first():
    dataset = RandomDraws()
    sampler = DefaultSampler(dataset, shuffle=True, seed=0)
    sampler.set_epoch(4)
    full = list(BatchSampler(sampler, 2, drop_last=False))
    batches = BatchSampler(SkipFirst(sampler, 2 * 2), 2, drop_last=False)
    assert list(batches) == full[2:]
    assert len(batches) == len(full)  # the epoch keeps its length
    assert list(BatchSampler(SkipFirst(sampler, 8), 2, False)) == []
    with pytest.raises(ValueError):
        SkipFirst(sampler, -1)
