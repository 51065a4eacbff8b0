"""The one min-max normaliser, against a loop over the values."""
import numpy as np

from mmfgssl.datasets.saliency import minmax_normalize


def test_minmax_against_a_loop():
    rng = np.random.default_rng(0)
    x = rng.normal(3., 2., (5, 7))
    values = [float(v) for v in x.ravel()]
    low, high = min(values), max(values)
    expect = np.array([(v - low) / (high - low) for v in values]).reshape(5, 7)
    got = minmax_normalize(x)
    assert got.dtype == np.float64
    assert np.allclose(got, expect, atol=1e-15)
    assert got.min() == 0 and got.max() == 1
    assert minmax_normalize(x, np.float32).dtype == np.float32


def test_constant_nan_and_empty_maps():
    assert not minmax_normalize(np.full((3, 3), 7.)).any()
    # below eps: constant
    assert not minmax_normalize(np.array([0., 1e-13]), eps=1e-12).any()
    assert minmax_normalize(np.array([0., 1e-13]))[1] == 1
    nan = np.array([np.nan, 0., 2.])
    assert np.array_equal(minmax_normalize(nan, nan_to_zero=True), [0, 0, 1])
    assert minmax_normalize(np.zeros((0, 4))).shape == (0, 4)
