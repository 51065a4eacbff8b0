# Copyright (c) OpenMMLab. All rights reserved.
"""Random draws from NumPy's legacy ``np.random`` (the global generator the
pipelines use) or a ``np.random.Generator``."""

__all__ = ['randint_inclusive']


def randint_inclusive(rng, low: int, high_inclusive: int) -> int:
    """A uniform integer in ``[low, high_inclusive]`` (``low`` when the range
    is empty).

    Args:
        rng: ``np.random`` or a ``np.random.RandomState`` / ``Generator``.
        low (int): The smallest value.
        high_inclusive (int): The largest value.
    """
    if high_inclusive <= low:
        return low
    if hasattr(rng, 'integers'):  # np.random.Generator
        return int(rng.integers(low, high_inclusive + 1))
    return int(rng.randint(low, high_inclusive + 1))
