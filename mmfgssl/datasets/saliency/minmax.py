# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np

__all__ = ['minmax_normalize']


def minmax_normalize(x: np.ndarray,
                     dtype=np.float64,
                     eps: float = 0.,
                     nan_to_zero: bool = False) -> np.ndarray:
    """Min-max normalise a map to [0, 1]: ``(x - min) / (max - min)``.

    The one normaliser of saliency maps, CAMs and detector outputs.

    Args:
        x (np.ndarray): A map of any shape.
        dtype: The dtype computed in and returned. Defaults to float64.
        eps (float): A map with ``max - min <= eps`` is constant: it becomes
            all zeros. Defaults to 0.
        nan_to_zero (bool): Replace NaN by 0 and infinities by the largest
            finite values first (``np.nan_to_num``). Defaults to False.

    Returns:
        np.ndarray: The normalised map, of ``x``'s shape.
    """
    x = np.asarray(x, dtype=dtype)
    if nan_to_zero:
        x = np.nan_to_num(x)
    if x.size == 0:
        return x
    low, high = x.min(), x.max()
    if high - low <= eps:
        return np.zeros_like(x)
    return (x - low) / (high - low)
