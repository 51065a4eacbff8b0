"""One key moves a config to another set: after overriding the data_root
of the training set (and of the evaluation sets, for benchmark configs),
no path of the config points at the original set any more, and the
training pipeline of every config reads only the moved set."""
import copy
import os.path as osp

import pytest
from config_files import CONFIGS, config_ids, load_config
from mmengine.registry import DefaultScope
from mmpretrain.registry import DATASETS

NEW_ROOT = '/moved/set'


def root_key(cfg, loader):
    """The key of a loader's dataset data_root (inside wrappers such as the
    label-fraction subsets) and its value."""
    dataset, key = cfg[loader].dataset, f'{loader}.dataset'
    while 'data_root' not in dataset and 'dataset' in dataset:
        dataset, key = dataset.dataset, key + '.dataset'
    return f'{key}.data_root', dataset.get('data_root')


def strings(obj, path=''):
    """Every string of a nested config, with its key path."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from strings(v, f'{path}.{k}')
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from strings(v, f'{path}[{i}]')
    elif isinstance(obj, str):
        yield path, obj


@pytest.mark.parametrize('config', CONFIGS, ids=config_ids(CONFIGS))
def test_one_key_moves_the_config(config):
    cfg = load_config(config)
    options, roots = {}, []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if not cfg.get(loader):
            continue
        key, root = root_key(cfg, loader)
        assert root, f'{loader} names no data_root ({key})'
        options[key] = NEW_ROOT
        roots.append(root.rstrip('/'))
    cfg.merge_from_dict(options)
    # what the Runner reads (top-level helper variables such as
    # `data_root = ...` are only read while the config is parsed)
    runtime = {
        k: cfg.get(k)
        for k in ('train_dataloader', 'val_dataloader', 'test_dataloader',
                  'val_evaluator', 'test_evaluator', 'custom_hooks', 'model')
    }
    left = [(path, value) for path, value in strings(runtime) for root in roots
            if value == root or value.startswith(root + '/')]
    assert not left, f'still pointing at the original set: {left}'


PRETRAIN = [
    p for p in CONFIGS if osp.sep + 'benchmarks' +
    osp.sep not in p and load_config(p).train_dataloader.dataset.get('type') in
    ('CUBWithBoxes', 'StanfordCarsWithBoxes', 'FGVCAircraftWithBoxes',
     'NABirds')
]


@pytest.mark.parametrize('config', PRETRAIN, ids=config_ids(PRETRAIN))
def test_the_moved_pipeline_reads_only_the_moved_set(config,
                                                     tiny_synthetic_cub,
                                                     tmp_path, monkeypatch):
    """The training set of each pre-training config on a fine-grained set,
    moved by its data_root alone to a copy of the tiny CUB-format set (read
    as CUB whatever the config's set), gives two samples, and every file
    read is in the copy, unless the config draws on another set by design
    (COCO / NABirds backgrounds, textures): those are skipped, named."""
    import shutil

    import mmengine.fileio as fileio
    cfg = load_config(config)
    dataset_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    others = sorted({
        value
        for path, value in strings(dataset_cfg.pipeline)
        if value.startswith('data/')
    })
    if others:
        pytest.skip(f'draws on other sets by design: {others}')
    moved = str(tmp_path / 'moved_set')
    shutil.copytree(tiny_synthetic_cub, moved)
    dataset_cfg.update(type='CUBWithBoxes', split='train', data_root=moved)
    opened = []
    real_get = fileio.get

    def get(path, *args, **kwargs):
        opened.append(str(path))
        return real_get(path, *args, **kwargs)

    monkeypatch.setattr(fileio, 'get', get)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        dataset = DATASETS.build(dataset_cfg)
        for i in range(2):
            assert len(dataset[i]['inputs']) >= 1  # views
    assert opened
    outside = [p for p in opened if not p.startswith(moved + osp.sep)]
    assert not outside, outside
