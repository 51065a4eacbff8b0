"""The repository's configs as the config tests see them."""
import copy
import functools
import glob
import os.path as osp

from mmengine.config import Config
from tool_runs import REPO_ROOT

# configs/benchmarks/mmdetection holds mmdet configs (mmdet scope, mmdet
# models and pipelines): tests/test_tools/test_mmdetection_transfer.py builds,
# trains and evaluates each of them, so the config tests leave them out.
MMDET_CONFIGS = osp.join(REPO_ROOT, 'configs', 'benchmarks', 'mmdetection')
# every config a user runs with tools/train.py (no _base_ fragment)
CONFIGS = sorted(
    p for p in glob.glob(
        osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p and not p.startswith(MMDET_CONFIGS + osp.sep))


def config_ids(paths):
    """Test ids: the paths relative to the repository root."""
    return [osp.relpath(p, REPO_ROOT) for p in paths]


@functools.lru_cache(maxsize=None)
def _parsed(path):
    return Config.fromfile(path)


def load_config(path):
    """``Config.fromfile(path)`` of a repository config, parsed once per
    test process (parsing a config and its mmpretrain bases takes about
    0.2 s, and several test modules read all of them); every call returns
    a deep copy, so a test may change it."""
    return copy.deepcopy(_parsed(osp.abspath(path)))
