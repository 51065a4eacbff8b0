"""Random states in checkpoints, seeded worker samples and mid-epoch
resume, so that a resumed run draws what the uninterrupted run drew."""
import random

import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.runner import EpochBasedTrainLoop
from mmpretrain.registry import HOOKS

from mmfgssl.datasets import SeededSamples, SkipFirst

__all__ = ['RandomStateHook', 'get_random_state', 'set_random_state']

CHECKPOINT_KEY = 'random_state'


def get_random_state():
    """The states of Python's, NumPy's and torch's (CPU and CUDA) global
    generators.

    Returns:
        dict: ``python``, ``numpy``, ``torch`` and, with CUDA, ``cuda``.
    """
    state = dict(
        python=random.getstate(),
        numpy=np.random.get_state(),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_random_state(state):
    """Restore what :func:`get_random_state` returned."""
    random.setstate(_as_tuples(state['python']))
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['cuda'])


def _as_tuples(obj):
    """Python's generator state is nested tuples; a checkpoint may give
    lists back."""
    if isinstance(obj, (list, tuple)):
        return tuple(_as_tuples(o) for o in obj)
    return obj


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Make ``--resume`` continue the run it resumes, bit for bit.

    mmengine's checkpoints hold the model, optimizer, schedulers and message
    hub but no random state, its data-loader workers are seeded from (seed,
    rank, worker id) alone (the same draws every epoch when they restart,
    a stream that a resume restarts when they persist), and its
    ``EpochBasedTrainLoop`` restarts the epoch a mid-epoch checkpoint was
    saved in, so that the resumed run trains that epoch's first batches
    twice. This hook, which ``tools/train.py`` adds to every run whose
    config does not have it:

    1. saves Python's, NumPy's and torch's (and CUDA's) global random
       states under ``checkpoint['random_state']`` with every checkpoint and
       restores them when the resumed run starts training
       (``before_train``, after whatever the runner and the other hooks drew
       while starting); a checkpoint without them (older runs) resumes as
       before, with a warning;
    2. with ``num_workers > 0``, seeds each training sample's pipeline in
       the workers from (seed, epoch, index) (:class:`SeededSamples`), and
       gives the loader a generator of its own for the workers' base seed,
       so that the main process's random stream does not depend on when
       workers start either;
    3. resumed from a checkpoint saved inside an epoch, skips that epoch's
       batches already trained (:class:`SkipFirst`), so that the run ends
       with the iteration count and the state of the uninterrupted one.

    Args:
        seed_worker_samples (bool): item 2. Off, workers keep mmengine's
            seeding (and a resume with workers is not exact). Defaults to
            True.
    """

    priority = 'VERY_LOW'

    def __init__(self, seed_worker_samples: bool = True):
        self.seed_worker_samples = seed_worker_samples
        self._pending = None
        self._skip_batches = 0
        self._epoch = None  # shared-memory epoch the workers read
        self._skipping = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint[CHECKPOINT_KEY] = get_random_state()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if not getattr(runner, '_resume', False):
            return  # load_from: weights only, a new run
        state = checkpoint.get(CHECKPOINT_KEY)
        if state is None:
            runner.logger.warning(
                'RandomStateHook: the checkpoint has no random state (saved '
                'without this hook); the resumed run draws new random '
                'numbers')
        self._pending = state

    def before_train(self, runner) -> None:
        loader = runner.train_loop.dataloader
        if self.seed_worker_samples and loader.num_workers > 0:
            self._seed_worker_samples(runner, loader)
        if getattr(runner, '_resume', False):
            self._skip_batches = self._batches_done(runner, loader)
        # restored last (VERY_LOW), right before the resumed epoch
        if self._pending is not None:
            set_random_state(self._pending)
            self._pending = None

    def before_train_epoch(self, runner) -> None:
        loader = runner.train_loop.dataloader
        if self._epoch is not None:
            self._epoch[0] = runner.epoch  # read by the workers
        if self._skip_batches:
            self._skip_trained_batches(runner, loader)

    def after_train_epoch(self, runner) -> None:
        if self._skipping is not None:
            batch_sampler, sampler, generator = self._skipping
            batch_sampler.sampler = sampler
            runner.train_loop.dataloader.generator = generator
            self._skipping = None

    # ------------------------------------------------------------ helpers
    def _seed_worker_samples(self, runner, loader) -> None:
        dataset = loader.dataset
        if getattr(type(dataset), '__getitems__', None) is not None:
            runner.logger.warning(
                f'RandomStateHook: {type(dataset).__name__} defines '
                '__getitems__; its samples keep the workers\' seeding, and '
                'a resumed run with workers is not exact')
            return
        self._epoch = torch.zeros(1, dtype=torch.int64).share_memory_()
        dataset.__getitems__ = SeededSamples(dataset, runner.seed, self._epoch)
        if loader.generator is None:
            loader.generator = torch.Generator().manual_seed(runner.seed)

    @staticmethod
    def _batches_done(runner, loader) -> int:
        """Batches of the current epoch a resumed checkpoint already
        trained (0 for a checkpoint saved at an epoch's end)."""
        if not isinstance(runner.train_loop, EpochBasedTrainLoop):
            return 0  # IterBasedTrainLoop advances its iterator itself
        done = runner.iter - runner.epoch * len(loader)
        if not 0 <= done <= len(loader):
            raise RuntimeError(
                f'RandomStateHook: the resumed checkpoint is at iteration '
                f'{runner.iter}, epoch {runner.epoch}, which an epoch of '
                f'{len(loader)} iterations cannot reach: was it saved with '
                'another dataset, batch size or number of processes?')
        return done

    def _skip_trained_batches(self, runner, loader) -> None:
        batch_sampler = loader.batch_sampler
        batch_size = getattr(batch_sampler, 'batch_size', None)
        if not hasattr(batch_sampler, 'sampler') or not batch_size:
            raise RuntimeError(
                'RandomStateHook: resuming inside an epoch needs a batch '
                f'sampler with .sampler and .batch_size; '
                f'{type(batch_sampler).__name__} has not')
        self._skipping = (batch_sampler, batch_sampler.sampler,
                          loader.generator)
        batch_sampler.sampler = SkipFirst(batch_sampler.sampler,
                                          self._skip_batches * batch_size)
        if loader.generator is None:
            # the uninterrupted run drew this epoch's loader seed from the
            # global stream before the saved state: do not draw it again
            loader.generator = torch.Generator()
        runner.logger.info(
            f'RandomStateHook: resumed inside epoch {runner.epoch + 1}: '
            f'skipping its first {self._skip_batches} batches (trained '
            'before the checkpoint)')
        self._skip_batches = 0
