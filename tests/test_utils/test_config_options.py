import os.path as osp

from mmengine.config import Config

from mmfgssl.utils import merge_options_keeping_test_with_val

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
LINEAR = osp.join(REPO_ROOT, 'configs', 'benchmarks', 'linear',
                  'resnet18_1xb16-linear-coslr-50e_synthcub.py')


def test_a_val_option_moves_the_test_loader_it_was_bound_to():
    cfg = Config.fromfile(LINEAR)  # test_dataloader = val_dataloader
    copied = merge_options_keeping_test_with_val(
        cfg, {
            'val_dataloader.dataset.data_root': '/moved',
            'val_dataloader.num_workers': 0,
            'train_dataloader.dataset.data_root': '/moved'
        })
    assert sorted(copied) == [
        'test_dataloader.dataset.data_root', 'test_dataloader.num_workers'
    ]
    assert cfg.test_dataloader.dataset.data_root == '/moved'
    assert cfg.test_dataloader.num_workers == 0
    assert cfg.test_dataloader == cfg.val_dataloader


def test_an_explicit_test_option_wins():
    cfg = Config.fromfile(LINEAR)
    copied = merge_options_keeping_test_with_val(
        cfg, {
            'val_dataloader.dataset.data_root': '/val',
            'test_dataloader.dataset.data_root': '/test'
        })
    assert copied == []
    assert cfg.val_dataloader.dataset.data_root == '/val'
    assert cfg.test_dataloader.dataset.data_root == '/test'


def test_different_loaders_stay_apart():
    cfg = Config.fromfile(LINEAR)
    cfg.test_dataloader.dataset.split = 'train'  # no longer the same loader
    copied = merge_options_keeping_test_with_val(
        cfg, {'val_dataloader.dataset.data_root': '/val'})
    assert copied == []
    assert cfg.test_dataloader.dataset.data_root == 'data/synthetic_cub_bg'
