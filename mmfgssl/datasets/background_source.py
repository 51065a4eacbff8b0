# Copyright (c) OpenMMLab. All rights reserved.
import copy
from typing import List, Optional, Sequence, Tuple, Union

import mmcv
import numpy as np
from mmengine import fileio
from mmengine.dataset import BaseDataset
from mmpretrain.registry import DATASETS

from .train_set_source import TRAIN_SET, resolve_train_set

__all__ = ['BackgroundSource']

DatasetLike = Union[dict, BaseDataset, str]


class BackgroundSource:
    """Background images drawn from datasets, for the views that paste a
    foreground on another image (:class:`SaliencySwap`,
    :class:`CopyPasteBackground`).

    The datasets are dataset configs (built without pipeline, only their
    sample lists are used), dataset objects, or ``'train_set'``, the
    training set the transform's pipeline is bound to (see
    :func:`bind_train_set`). They are built lazily, in each data-loader
    worker, on the first draw. A draw is uniform over the union of the
    sets, or, with ``weights``, a set with probability ``weight /
    sum(weights)`` and then an image of it uniformly; a draw that hits the
    foreground image itself is redrawn (up to :attr:`MAX_SELF_DRAWS` times,
    then accepted: a set of one image).

    Args:
        datasets (Sequence): The background datasets.
        weights (Sequence[float], optional): One positive weight per set, or
            None (uniform over the union: a large set dominates).
        cfg_key (str): The config key of the sources, named in errors (e.g.
            ``'SaliencySwap.backgrounds'``).
        owner (str): The transform, named in load errors.
    """

    MAX_SELF_DRAWS = 10

    def __init__(self,
                 datasets: Sequence[DatasetLike],
                 weights: Optional[Sequence[float]] = None,
                 cfg_key: str = 'backgrounds',
                 owner: str = 'BackgroundSource') -> None:
        self.sources = list(datasets)
        self.cfg_key = cfg_key
        self.owner = owner
        if not self.sources:
            raise ValueError(f'{cfg_key} must name at least one background '
                             'dataset')
        for i, ds in enumerate(self.sources):
            if isinstance(ds, str) and ds != TRAIN_SET:
                raise ValueError(
                    f'{cfg_key}[{i}]: a background dataset must be a dataset '
                    f"config, a dataset or '{TRAIN_SET}', got {ds!r}")
        self.set_probs = None
        if weights is not None:
            weights = list(weights)
            if len(weights) != len(self.sources):
                raise ValueError(f'{cfg_key}: {len(weights)} weights for '
                                 f'{len(self.sources)} background datasets')
            for i, w in enumerate(weights):
                if isinstance(
                        w, bool) or not isinstance(w,
                                                   (int, float)) or not w > 0:
                    raise ValueError(f'{cfg_key}[{i}].weight must be a '
                                     f'positive number, got {w!r}')
            weights = np.asarray(weights, np.float64)
            self.set_probs = weights / weights.sum()
        self.train_set: Optional[BaseDataset] = None
        self._datasets: Optional[List[BaseDataset]] = None

    def bind_train_set(self, dataset: BaseDataset) -> None:
        """Draw the ``'train_set'`` backgrounds from ``dataset``."""
        self.train_set = dataset
        self._datasets = None

    def datasets(self) -> List[BaseDataset]:
        """The background datasets, built on the first call."""
        if self._datasets is None:
            datasets = []
            for i, ds in enumerate(self.sources):
                if ds == TRAIN_SET:
                    ds = resolve_train_set(self.train_set,
                                           f'{self.cfg_key}[{i}]')
                elif isinstance(ds, dict):
                    ds = copy.deepcopy(ds)
                    ds['pipeline'] = []
                    ds = DATASETS.build(ds)
                if len(ds) == 0:
                    raise ValueError(
                        f'{self.cfg_key}[{i}]: the background dataset '
                        f'{type(ds).__name__} (data_root='
                        f'{getattr(ds, "data_root", None)!r}) is empty')
                datasets.append(ds)
            self._datasets = datasets
        return self._datasets

    def draw(self, fg_path: Optional[str] = None) -> Tuple[int, dict]:
        """Draw a background sample other than ``fg_path``.

        Returns:
            tuple[int, dict]: The index of its set in ``datasets`` and its
            data info (``img_path``, and the set's boxes if it has any).
        """
        datasets = self.datasets()
        sizes = np.array([len(ds) for ds in datasets])
        ends = np.cumsum(sizes)
        for _ in range(self.MAX_SELF_DRAWS):
            if self.set_probs is None:
                index = int(np.random.randint(ends[-1]))
                which = int(np.searchsorted(ends, index, 'right'))
                index -= int(ends[which - 1]) if which else 0
            else:
                which = int(np.random.choice(len(datasets), p=self.set_probs))
                index = int(np.random.randint(sizes[which]))
            info = datasets[which].get_data_info(index)
            if fg_path is None or info.get('img_path') != fg_path:
                break
        return which, info

    def load(self, path: str) -> np.ndarray:
        """Decode a background image as ``H x W x 3`` BGR (gray and RGBA
        files too), naming the file and the transform on failure."""
        try:
            img = mmcv.imfrombytes(fileio.get(path), flag='color')
        except FileNotFoundError:
            raise FileNotFoundError(
                f'{self.owner}: background image not found: {path}') from None
        if img is None:
            raise OSError(
                f'{self.owner}: cannot decode the background image {path}')
        return img
