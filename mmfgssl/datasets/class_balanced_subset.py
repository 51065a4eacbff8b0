# Copyright (c) OpenMMLab. All rights reserved.
from typing import List, Union

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.logging import MMLogger
from mmpretrain.registry import DATASETS

from .subset_utils import class_balanced_indices


@DATASETS.register_module()
class ClassBalancedSubset:
    """A seeded, class-balanced subset of a labelled dataset.

    Keeps the same share of every class (see
    :func:`mmfgssl.datasets.subset_utils.class_balanced_indices`): the label
    fractions of LCR (CVPR 2023, Table 2, 100 / 50 / 20 % labels for the
    linear probe), or, with ``complement``, the rest of such a draw, which
    carves a train / validation pair out of one training split for the
    hyper-parameter sweep (the validation part is ``complement=False``, the
    train part the same draw with ``complement=True``).

    Args:
        dataset (dict | BaseDataset): The dataset (or its config); it must
            give ``gt_label`` in ``get_data_info``.
        fraction (float): Share of each class, in (0, 1].
        seed (int): Seed of the draw. Defaults to 0.
        min_per_class (int): Least samples kept per class. Defaults to 1.
        complement (bool): Keep the samples not drawn. Defaults to False.

    Examples:
        >>> train_20pct = dict(
        ...     type='ClassBalancedSubset', fraction=0.2, seed=0,
        ...     dataset=dict(type='CUBWithBoxes',
        ...                  data_root='data/CUB_200_2011',
        ...                  split='train', pipeline=[...]))
    """

    def __init__(self,
                 dataset: Union[dict, BaseDataset],
                 fraction: float,
                 seed: int = 0,
                 min_per_class: int = 1,
                 complement: bool = False) -> None:
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        if not hasattr(dataset, 'get_data_info'):
            raise TypeError(f'ClassBalancedSubset: dataset must be a config '
                            f'or a BaseDataset, got {type(dataset)}')
        self.dataset = dataset
        self.fraction = fraction
        self.seed = seed
        self.complement = complement
        labels = self._labels(dataset)
        self.indices = class_balanced_indices(
            labels,
            fraction,
            seed=seed,
            min_per_class=min_per_class,
            complement=complement)
        MMLogger.get_current_instance().info(
            f'ClassBalancedSubset: {len(self.indices)} of {len(labels)} '
            f'samples of {type(dataset).__name__} (fraction {fraction}, '
            f'seed {seed}{", complement" if complement else ""})')

    @staticmethod
    def _labels(dataset) -> List[int]:
        labels = []
        for idx in range(len(dataset)):
            info = dataset.get_data_info(idx)
            if 'gt_label' not in info:
                raise KeyError(
                    f'ClassBalancedSubset: sample {idx} of '
                    f'{type(dataset).__name__} ({info.get("img_path")}) has '
                    'no gt_label; a class-balanced subset needs labels')
            labels.append(int(np.asarray(info['gt_label']).reshape(-1)[0]))
        return labels

    @property
    def metainfo(self) -> dict:
        """The wrapped dataset's meta information."""
        return self.dataset.metainfo

    def full_init(self) -> None:
        """Nothing to do: the subset is drawn at construction."""

    def get_data_info(self, idx: int) -> dict:
        """The wrapped dataset's annotation of the ``idx``-th kept sample."""
        return self.dataset.get_data_info(int(self.indices[idx]))

    def get_gt_labels(self) -> np.ndarray:
        """Labels of the kept samples."""
        return np.array([
            int(np.asarray(self.get_data_info(i)['gt_label']).reshape(-1)[0])
            for i in range(len(self))
        ])

    def __getitem__(self, idx: int) -> dict:
        return self.dataset[int(self.indices[idx])]

    def __len__(self) -> int:
        return len(self.indices)
