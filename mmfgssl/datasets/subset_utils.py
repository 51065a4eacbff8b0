# Copyright (c) OpenMMLab. All rights reserved.
"""Class-balanced, seeded subsets of a labelled dataset.

Used for the label fractions of LCR (CVPR 2023, Table 2: linear probes on
100 / 50 / 20 % of the training labels) and to carve a validation split out
of a training split (hyper-parameter selection that never looks at the test
split, CVSA appendix A.1).
"""
from typing import Sequence

import numpy as np

__all__ = ['class_balanced_indices']


def class_balanced_indices(labels: Sequence[int],
                           fraction: float,
                           seed: int = 0,
                           min_per_class: int = 1,
                           complement: bool = False) -> np.ndarray:
    """Indices of a class-balanced subset: the same fraction of every class.

    Class ``c`` with ``n_c`` samples keeps ``max(min_per_class,
    round(fraction * n_c))`` of them (never more than ``n_c``), drawn without
    replacement. The draw of a class depends only on ``seed``, the class id
    and the positions of that class's samples, so the same seed gives the
    same subset on every machine and process, and the subsets of two
    fractions with one seed are nested (the 20 % subset lies inside the
    50 % one).

    Args:
        labels (Sequence[int]): The label of every sample, in dataset order.
        fraction (float): The share of each class to keep, in (0, 1].
        seed (int): Seed of the draw. Defaults to 0.
        min_per_class (int): The least samples kept of a class (a class with
            fewer samples keeps them all). Defaults to 1.
        complement (bool): Return the samples *not* chosen instead (e.g. the
            train part when the chosen ones are a validation split).
            Defaults to False.

    Returns:
        np.ndarray: Sorted int64 dataset indices.
    """
    if not 0 < fraction <= 1:
        raise ValueError(f'fraction must be in (0, 1], got {fraction}')
    if min_per_class < 0:
        raise ValueError(f'min_per_class must be >= 0, got {min_per_class}')
    labels = np.asarray(labels, dtype=np.int64)
    if labels.ndim != 1:
        raise ValueError(f'labels must be 1-D, got shape {labels.shape}')
    chosen = []
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)  # sorted positions
        num = min(
            len(members),
            max(min_per_class, int(round(fraction * len(members)))))
        rng = np.random.default_rng([seed, int(cls)])
        chosen.append(members[rng.permutation(len(members))[:num]])
    chosen = np.sort(np.concatenate(chosen)) if chosen else np.zeros(
        0, dtype=np.int64)
    if complement:
        keep = np.ones(len(labels), dtype=bool)
        keep[chosen] = False
        return np.flatnonzero(keep).astype(np.int64)
    return chosen.astype(np.int64)
