import os.path as osp

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='session')
def tiny_synthetic_cub(tmp_path_factory):
    """A tiny synthetic set in CUB-200-2011's layout: 4 classes x (4 train +
    2 test) images of 64 px, generated once per test session."""
    from mmfgssl.datasets.synthetic_cub import make_synthetic_cub
    root = tmp_path_factory.mktemp('synthetic_cub')
    make_synthetic_cub(
        str(root),
        num_classes=4,
        train_per_class=4,
        test_per_class=2,
        img_size=64,
        seed=0)
    return str(root)
