# Copyright (c) OpenMMLab. All rights reserved.
"""Background sources that follow the training set: the ``'train_set'``
entry of :class:`~mmfgssl.datasets.transforms.SaliencySwap` and
:class:`~mmfgssl.datasets.transforms.CopyPasteBackground` backgrounds, bound
to the dataset whose pipeline holds the transform, so that overriding the
training set's ``data_root`` moves the backgrounds with it."""
from typing import Callable, List

from mmcv.transforms import BaseTransform, Compose
from mmengine.dataset import Compose as EngineCompose

__all__ = [
    'DATA_ROOT', 'TRAIN_SET', 'check_data_root_filled', 'fill_data_root',
    'BindTrainSetMixin', 'bind_train_set', 'find_transforms',
    'pipeline_dataset', 'resolve_train_set'
]

TRAIN_SET = 'train_set'
# in a folder of a saliency / box source: the training set's data_root
DATA_ROOT = '{data_root}'


def fill_data_root(obj, names, data_root: str) -> None:
    """Put ``data_root`` for :data:`DATA_ROOT` in the folder attributes
    ``names`` of ``obj``."""
    for name in names:
        value = getattr(obj, name)
        if value is not None and DATA_ROOT in value:
            setattr(obj, name, value.replace(DATA_ROOT, data_root))


def check_data_root_filled(obj, names, cfg_key: str) -> None:
    """Refuse a folder that still holds :data:`DATA_ROOT` (no dataset was
    bound), naming the key and the two ways to bind."""
    for name in names:
        if DATA_ROOT in (getattr(obj, name) or ''):
            raise RuntimeError(
                f'{cfg_key}.{name}={getattr(obj, name)!r} needs the training '
                "set's data_root, but no dataset was bound (mmfgssl's "
                'datasets bind themselves; for another type add '
                "dict(type='BindTrainSetHook') to custom_hooks)")


def find_transforms(pipeline, predicate: Callable) -> List:
    """The transforms nested in a built pipeline (mmengine or mmcv
    ``Compose``, ``MultiView``, ``RandomApply``, ... and lists of them) for
    which ``predicate(transform)`` holds, each once, in pipeline order."""
    found: List = []
    _walk(pipeline, predicate, found, set())
    return found


def _walk(obj, predicate, found: List, seen: set) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, (list, tuple)):
        for item in obj:
            _walk(item, predicate, found, seen)
        return
    if not isinstance(obj, (BaseTransform, Compose, EngineCompose)):
        return
    if predicate(obj):
        found.append(obj)
    for value in vars(obj).values():
        if isinstance(value,
                      (list, tuple, BaseTransform, Compose, EngineCompose)):
            _walk(value, predicate, found, seen)


def pipeline_dataset(dataset, who: str):
    """The dataset whose pipeline the samples go through: ``dataset``, or
    the one inside a ``RepeatDataset``-like wrapper (a ``dataset``
    attribute); ``ConcatDataset``-like ones (``datasets``) are refused."""
    while not hasattr(dataset, 'pipeline') and hasattr(dataset, 'dataset'):
        dataset = dataset.dataset
    if hasattr(dataset, 'datasets') or not hasattr(dataset, 'pipeline'):
        raise TypeError(f'{who}: train_dataloader.dataset must be an mmengine '
                        'BaseDataset (or a RepeatDataset of one), got '
                        f'{type(dataset).__name__}')
    return dataset


def bind_train_set(pipeline, dataset) -> int:
    """Hand ``dataset`` to every transform of ``pipeline`` that draws from
    the training set (those with a ``bind_train_set`` method).

    Returns:
        int: How many transforms were bound.
    """
    transforms = find_transforms(pipeline,
                                 lambda t: hasattr(t, 'bind_train_set'))
    for transform in transforms:
        transform.bind_train_set(dataset)
    return len(transforms)


def resolve_train_set(train_set, cfg_key: str):
    """The bound training set, or an error naming ``cfg_key`` and the two
    ways to bind it."""
    if train_set is None:
        raise RuntimeError(
            f"{cfg_key}: dataset='{TRAIN_SET}' draws from the training set, "
            'but no dataset was bound to this transform. mmfgssl\'s datasets '
            'bind themselves when their pipeline holds it; for another '
            "dataset type add dict(type='BindTrainSetHook') to custom_hooks, "
            'or give a dataset config instead')
    return train_set


class BindTrainSetMixin:
    """For datasets: after the pipeline is built, bind this dataset to the
    pipeline's ``'train_set'`` background sources (see
    :func:`bind_train_set`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bind_train_set(self.pipeline, self)
