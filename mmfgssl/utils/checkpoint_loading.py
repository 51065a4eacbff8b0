"""Load mmengine checkpoints under torch >= 2.6 without ``weights_only=False``.

Since torch 2.6 ``torch.load`` defaults to ``weights_only=True``: only tensors,
containers and allow-listed globals may be unpickled. mmengine's checkpoints
also hold its ``MessageHub`` state (``HistoryBuffer`` objects holding numpy
arrays and scalars), so ``resume=True`` and ``load_from`` fail with "Weights
only load failed ... Unsupported global". Turning ``weights_only`` off would
let a downloaded checkpoint run arbitrary code, so instead the few classes and
functions that mmengine itself writes are allow-listed, and nothing else.

One of them needs care: ``HistoryBuffer.__getstate__`` stores its statistics
methods (``HistoryBuffer.min``, ``.max``, ``.current``, ``.mean``), which
pickle as ``getattr(HistoryBuffer, 'min')``. Allow-listing the builtin
``getattr`` would let a checkpoint fetch any attribute of any allowed object,
so ``builtins.getattr`` is mapped to :func:`history_buffer_getattr` instead,
which returns public functions of ``HistoryBuffer`` and refuses the rest.

A checkpoint given by address (``http(s)://``, and ``torchvision://``,
``open-mmlab://``, ``mmcls://``, which mmengine resolves to one) is loaded
with the same allow-list: mmengine's loaders for them pass
``weights_only=False`` (torch's hub default), so
:func:`register_safe_url_loaders` replaces them in mmengine's
``CheckpointLoader``.
"""
import inspect
import os
import pickle
from typing import Callable, List, Optional, Tuple, Union

import numpy as np
import torch

__all__ = [
    'history_buffer_getattr', 'mmengine_checkpoint_globals',
    'register_checkpoint_safe_globals', 'load_url_weights_only',
    'register_safe_url_loaders', 'URL_SCHEMES'
]


def _numpy_multiarray():
    """numpy's ``multiarray`` module, under its numpy 2 or numpy 1 path."""
    try:
        from numpy._core import multiarray  # numpy >= 2
    except ImportError:  # pragma: no cover - numpy 1.x
        from numpy.core import multiarray
    return multiarray


def history_buffer_getattr(obj, name: str) -> Callable:
    """``getattr`` for the one use mmengine's checkpoints make of it.

    Args:
        obj: Must be :class:`mmengine.logging.HistoryBuffer`.
        name (str): A public function defined on ``HistoryBuffer``.

    Returns:
        Callable: ``HistoryBuffer.<name>``.

    Raises:
        pickle.UnpicklingError: For any other object or attribute.
    """
    from mmengine.logging.history_buffer import HistoryBuffer
    attr = vars(HistoryBuffer).get(name) if obj is HistoryBuffer else None
    if (not isinstance(name, str) or name.startswith('_')
            or not inspect.isfunction(attr)):
        raise pickle.UnpicklingError(
            f'Refused getattr({obj!r}, {name!r}) in a checkpoint: only '
            'HistoryBuffer statistics methods are allowed.')
    return attr


def mmengine_checkpoint_globals(
) -> List[Union[Callable, Tuple[Callable, str]]]:
    """The globals that mmengine writes into a checkpoint's pickle.

    ``HistoryBuffer`` (logged scalars in ``message_hub``), and what pickling a
    numpy array or scalar inside it refers to: ``ndarray``, its
    ``_reconstruct`` and ``scalar`` helpers, ``dtype`` and the concrete dtype
    classes of numeric data.

    Returns:
        list: Classes and functions for :func:`torch.serialization.
        add_safe_globals`, and ``(history_buffer_getattr,
        'builtins.getattr')`` for the statistics methods.
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
        multiarray.scalar, *dtype_classes,
        (history_buffer_getattr, 'builtins.getattr')
    ]


def register_checkpoint_safe_globals() -> None:
    """Allow-list mmengine's checkpoint globals for ``torch.load``.

    Idempotent; a no-op on torch versions without ``add_safe_globals``.
    """
    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is not None:
        add_safe_globals(mmengine_checkpoint_globals())


def load_url_weights_only(url: str,
                          map_location=None,
                          model_dir: Optional[str] = None,
                          progress: bool = False):
    """Download ``url`` into torch's hub cache (once) and load it with
    ``weights_only=True``, so the allow-list of
    :func:`register_checkpoint_safe_globals` applies as for local files.

    mmengine's ``load_from_http`` goes through
    ``torch.hub.load_state_dict_from_url``, whose ``weights_only`` defaults
    to False: a checkpoint given by URL could run code while unpickling. In a
    distributed run, local rank 0 downloads first and the others read the
    cached file after a barrier, as mmengine does.

    Args:
        url (str): An ``http://`` or ``https://`` address.
        map_location: Same as :func:`torch.load`.
        model_dir (str, optional): Where to cache the file. Defaults to
            torch's hub directory.
        progress (bool): Show a download progress bar.

    Returns:
        dict: The loaded checkpoint.
    """
    from mmengine.dist import barrier, get_dist_info

    def load():
        return torch.hub.load_state_dict_from_url(
            url,
            model_dir=model_dir,
            map_location=map_location,
            progress=progress,
            weights_only=True)

    rank, world_size = get_dist_info()
    if rank == 0:
        checkpoint = load()
    if world_size > 1:
        barrier()
        if rank > 0:
            checkpoint = load()
    return checkpoint


def load_from_url(filename: str, map_location=None):
    """mmengine ``CheckpointLoader`` scheme for ``http(s)://`` that loads with
    :func:`load_url_weights_only`."""
    return load_url_weights_only(
        filename, map_location=map_location, progress=os.isatty(0))


def load_from_torchvision_url(filename: str, map_location=None):
    """``torchvision://NAME`` (and the deprecated ``modelzoo://NAME``): the
    address from mmengine's torchvision model table, loaded weights-only."""
    from mmengine.runner import checkpoint as mmengine_checkpoint
    name = filename.split('://', 1)[1]
    urls = mmengine_checkpoint.get_torchvision_models()
    if name not in urls:
        raise KeyError(f'{filename}: no torchvision model named {name!r}')
    return load_from_url(urls[name], map_location)


def load_from_openmmlab_url(filename: str, map_location=None):
    """``open-mmlab://NAME`` / ``openmmlab://NAME``: mmengine's model table
    (deprecated names mapped), an address loaded weights-only or a file
    under mmengine's home read by ``torch.load`` (weights-only by
    default)."""
    from mmengine.runner import checkpoint as mmengine_checkpoint
    name = filename.split('://', 1)[1]
    name = mmengine_checkpoint.get_deprecated_model_names().get(name, name)
    urls = mmengine_checkpoint.get_external_models()
    if name not in urls:
        raise KeyError(f'{filename}: no OpenMMLab model named {name!r}')
    url = urls[name]
    if url.startswith(('http://', 'https://')):
        return load_from_url(url, map_location)
    path = os.path.join(mmengine_checkpoint._get_mmengine_home(), url)
    if not os.path.isfile(path):
        raise FileNotFoundError(f'{filename}: {path} can not be found.')
    return torch.load(path, map_location=map_location, weights_only=True)


def load_from_mmcls_url(filename: str, map_location=None):
    """``mmcls://NAME``: mmengine's mmcls model table, loaded weights-only and
    converted as mmengine's own loader does."""
    from mmengine.runner import checkpoint as mmengine_checkpoint
    name = filename.split('://', 1)[1]
    urls = mmengine_checkpoint.get_mmcls_models()
    if name not in urls:
        raise KeyError(f'{filename}: no mmcls model named {name!r}')
    checkpoint = load_from_url(urls[name], map_location)
    return mmengine_checkpoint._process_mmcls_checkpoint(checkpoint)


#: The address schemes whose mmengine loaders unpickle without the
#: allow-list, and the loaders that replace them.
URL_SCHEMES = {
    ('http://', 'https://'): load_from_url,
    ('modelzoo://', 'torchvision://'): load_from_torchvision_url,
    ('open-mmlab://', 'openmmlab://'): load_from_openmmlab_url,
    ('mmcls://', ): load_from_mmcls_url,
}


def register_safe_url_loaders() -> None:
    """Replace mmengine's ``CheckpointLoader`` schemes that resolve to an
    address by weights-only loaders (idempotent). Local files, ``s3://`` and
    ``pavi://`` already go through ``torch.load``, weights-only by default
    since torch 2.6."""
    from mmengine.runner import CheckpointLoader
    for prefixes, loader in URL_SCHEMES.items():
        CheckpointLoader.register_scheme(prefixes, loader, force=True)
