"""Load mmengine checkpoints under torch >= 2.6 without ``weights_only=False``.

Since torch 2.6 ``torch.load`` defaults to ``weights_only=True``: only tensors,
containers and allow-listed globals may be unpickled. mmengine's checkpoints
also hold its ``MessageHub`` state (``HistoryBuffer`` objects holding numpy
arrays and scalars), so ``resume=True`` and ``load_from`` fail with "Weights
only load failed ... Unsupported global". Turning ``weights_only`` off would
let a downloaded checkpoint run arbitrary code, so instead the few classes and
functions that mmengine itself writes are allow-listed, and nothing else.
"""
from typing import Callable, List

import numpy as np
import torch

__all__ = ['mmengine_checkpoint_globals', 'register_checkpoint_safe_globals']


def _numpy_multiarray():
    """numpy's ``multiarray`` module, under its numpy 2 or numpy 1 path."""
    try:
        from numpy._core import multiarray  # numpy >= 2
    except ImportError:  # pragma: no cover - numpy 1.x
        from numpy.core import multiarray
    return multiarray


def mmengine_checkpoint_globals() -> List[Callable]:
    """The globals that mmengine writes into a checkpoint's pickle.

    ``HistoryBuffer`` (logged scalars in ``message_hub``), and what pickling a
    numpy array or scalar inside it refers to: ``ndarray``, its
    ``_reconstruct`` and ``scalar`` helpers, ``dtype`` and the concrete dtype
    classes of numeric data.

    Returns:
        list: Classes and functions for :func:`torch.serialization.
        add_safe_globals`.
    """
    from mmengine.logging.history_buffer import HistoryBuffer

    multiarray = _numpy_multiarray()
    numeric = [
        np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
        np.uint32, np.uint64, np.float16, np.float32, np.float64
    ]
    dtype_classes = [type(np.dtype(t)) for t in numeric]
    return [
        HistoryBuffer, np.ndarray, np.dtype, multiarray._reconstruct,
        multiarray.scalar, *dtype_classes
    ]


def register_checkpoint_safe_globals() -> None:
    """Allow-list mmengine's checkpoint globals for ``torch.load``.

    Idempotent; a no-op on torch versions without ``add_safe_globals``.
    """
    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is not None:
        add_safe_globals(mmengine_checkpoint_globals())
