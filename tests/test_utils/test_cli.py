import argparse
import os
import os.path as osp

import pytest
from mmengine.config import Config

from mmfgssl.utils import (add_train_arguments, merge_train_args,
                           parse_with_local_rank)

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
LINEAR = osp.join(REPO_ROOT, 'configs', 'benchmarks', 'linear',
                  'resnet18_1xb16-linear-coslr-50e_synthcub.py')


def _merged(*argv, config=LINEAR):
    parser = argparse.ArgumentParser()
    parser.add_argument('config')
    args = parse_with_local_rank(add_train_arguments(parser), [config, *argv])
    return merge_train_args(Config.fromfile(config), args)


def test_defaults_name_the_work_dir_after_the_config_and_fill_the_loaders():
    cfg = _merged()
    assert cfg.work_dir == osp.join(
        './work_dirs', 'resnet18_1xb16-linear-coslr-50e_synthcub')
    assert cfg.launcher == 'none'
    assert cfg.get('resume', False) is False
    assert cfg.optim_wrapper.get('type', 'OptimWrapper') == 'OptimWrapper'
    for field in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg[field]
        assert loader.pin_memory is True
        assert loader.collate_fn == dict(type='default_collate')
        # persistent workers only where there are workers to keep
        assert loader.persistent_workers is (loader.num_workers > 0)


def test_each_option_lands_in_its_config_key(tmp_path):
    cfg = _merged('--work-dir', str(tmp_path), '--amp', '--no-validate',
                  '--auto-scale-lr', '--no-pin-memory',
                  '--no-persistent-workers', '--cfg-options',
                  'train_dataloader.num_workers=3')
    assert cfg.work_dir == str(tmp_path)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.loss_scale == 'dynamic'
    assert cfg.val_cfg is None and cfg.val_dataloader is None
    assert cfg.val_evaluator is None
    assert cfg.auto_scale_lr.enable is True
    assert cfg.train_dataloader.num_workers == 3
    assert cfg.train_dataloader.pin_memory is False
    assert cfg.train_dataloader.persistent_workers is False


@pytest.mark.parametrize('argv, load_from', [(['--resume'], None),
                                             (['--resume', 'a.pth'], 'a.pth')])
def test_resume_without_a_path_takes_the_latest_checkpoint(argv, load_from):
    cfg = _merged(*argv)
    assert cfg.resume is True
    assert cfg.load_from == load_from


def test_a_val_option_moves_the_test_loader_bound_to_it():
    cfg = _merged('--cfg-options', 'val_dataloader.dataset.data_root=/moved')
    assert cfg.test_dataloader.dataset.data_root == '/moved'


def test_local_rank_is_exported_unless_the_launcher_set_it(monkeypatch):
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    _merged('--local-rank', '2')
    assert os.environ['LOCAL_RANK'] == '2'
    monkeypatch.setenv('LOCAL_RANK', '1')
    _merged('--local_rank', '3')
    assert os.environ['LOCAL_RANK'] == '1'
