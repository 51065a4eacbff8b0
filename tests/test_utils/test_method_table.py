"""The method table names real configs whose model is the algorithm it says,
and its baselines are rows of it."""
import os.path as osp

import pytest
from config_files import load_config
from tool_runs import REPO_ROOT

from mmfgssl.utils import METHODS, get_method


def test_names_and_keys_are_unique():
    assert len({m.name for m in METHODS}) == len(METHODS)
    assert len({m.key for m in METHODS}) == len(METHODS)


@pytest.mark.parametrize('method', METHODS, ids=lambda m: m.key)
def test_configs_name_the_algorithm_of_the_row(method):
    for path in (method.synthetic_config, method.config):
        if path is None:
            continue
        cfg = load_config(osp.join(REPO_ROOT, path))
        assert cfg.model.type == method.algorithm, path
    assert method.synthetic_config.endswith('_synthcub.py')


def test_baselines_and_targets():
    names = {m.name: m for m in METHODS}
    for m in METHODS:
        assert m.quality_target in (None, 'learns', 'strong', 'gain',
                                    'ceiling')
        if m.quality_target in ('learns', 'ceiling'):
            assert m.baseline is None, m.name
        elif m.quality_target is not None:
            assert m.baseline in names, m.name
            # the baseline is measured beside it
            assert names[m.baseline].quality_target == 'learns'
        if m.step_time:
            assert m.config is not None
            assert m.baseline is None or names[m.baseline].step_time


def test_get_method():
    assert get_method('cvsa') is get_method('BYOL + CVSA')
    with pytest.raises(KeyError, match=r"no method 'simclr'.*'cvsa'"):
        get_method('simclr')
