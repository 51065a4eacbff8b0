"""Random states in checkpoints, so that a resumed run draws what the
uninterrupted run would have drawn."""
import random

import numpy as np
import torch
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

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
    """Save the global random states into every checkpoint and restore them
    when a run resumes from it.

    mmengine's checkpoints hold the model, optimizer, schedulers and message
    hub but no random state: after ``--resume`` the data pipeline (run in the
    main process with ``num_workers=0``), the sampler's base seed of the
    data-loader workers and any random draw of the model continue from the
    seed of a fresh start, so the resumed run is not the one it continues.
    Saved under ``checkpoint['random_state']`` at the moment of the save and
    restored when the resumed run starts training (``before_train``); a
    checkpoint without it (older runs) resumes as before, with a warning.

    ``tools/train.py`` adds this hook to every run whose config does not
    have it. What stays inexact: persistent data-loader workers keep their
    generators across epochs in a run, and are started afresh on resume.
    """

    priority = 'VERY_LOW'

    def __init__(self):
        self._pending = None

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
        # restored last (VERY_LOW), after whatever the runner and the other
        # hooks drew while starting, right before the resumed epoch
        if self._pending is not None:
            set_random_state(self._pending)
            self._pending = None
