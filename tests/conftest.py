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


def pretrain_with_tools_train(config, data_root, work_dir, options=()):
    """Run tools/train.py on ``config`` for one epoch on the synthetic set
    ``data_root`` (no data-loader workers, a checkpoint at the end) and
    return the path of that checkpoint."""
    import sys

    from tool_runs import run
    run([
        sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
        '--cfg-options', f'train_dataloader.dataset.data_root={data_root}',
        'train_dataloader.num_workers=0', 'train_cfg.max_epochs=1',
        'default_hooks.checkpoint.interval=1', *options
    ])
    return osp.join(work_dir, 'epoch_1.pth')


@pytest.fixture(scope='session')
def byol_synthcub_checkpoint(tiny_synthetic_cub, tmp_path_factory):
    """A BYOL ResNet-18 checkpoint pre-trained for 4 iterations (1 epoch of
    16 images, batch 4) on the tiny synthetic set by tools/train.py, for the
    evaluation tests; generated once per test session."""
    return pretrain_with_tools_train(
        'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
        tiny_synthetic_cub, str(tmp_path_factory.mktemp('byol_pretrain')),
        ['train_dataloader.batch_size=4'])


@pytest.fixture(scope='session')
def byol_resnet18_checkpoint(tiny_synthetic_cub, tmp_path_factory):
    """A BYOL checkpoint of the standard ResNet-18 (7 x 7 stem, max-pool,
    widths 64-512, as torchvision's) instead of the synthetic configs'
    CIFAR-stem one, pre-trained for 4 iterations on the tiny synthetic set,
    for the torchvision conversion tests; generated once per test session."""
    return pretrain_with_tools_train(
        'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
        tiny_synthetic_cub, str(tmp_path_factory.mktemp('byol_r18_pretrain')),
        [
            'train_dataloader.batch_size=4', 'model.backbone.type=ResNet',
            'model.backbone.stem_channels=64',
            'model.backbone.base_channels=64', 'model.neck.in_channels=512'
        ])


@pytest.fixture(scope='session')
def byol_r50_synthcub_checkpoint(tiny_synthetic_cub, tmp_path_factory):
    """A BYOL ResNet-50 checkpoint (the CUB config: SyncBN, built as BN on
    CPU) pre-trained by tools/train.py for 2 iterations (16 images, batch
    8, 64 px crops) on the tiny synthetic set, for the detection transfer
    tests; generated once per test session."""
    return pretrain_with_tools_train(
        'configs/byol/byol_resnet50_16xb64-coslr-800e_cub.py',
        tiny_synthetic_cub, str(tmp_path_factory.mktemp('byol_r50_pretrain')),
        [
            'train_dataloader.dataset.pipeline.1.transforms.0.0.scale=64',
            'train_dataloader.batch_size=8'
        ])


@pytest.fixture(autouse=True)
def keep_environment():
    """Give every test back the environment it started with: a tool's code
    run in this process may set variables (``parse_args`` sets
    ``LOCAL_RANK``, as mmpretrain's tools do), and a leaked variable would
    make every later tool run unservable by the fork servers
    (:func:`fork_server.forkable`)."""
    import os
    before = dict(os.environ)
    yield
    if dict(os.environ) != before:
        os.environ.clear()
        os.environ.update(before)


def pytest_configure(config):
    """Format each config text once in this process too (Runners built by
    the tests themselves): :func:`fork_server.memoize_format_code`."""
    import fork_server
    fork_server.memoize_format_code()


def pytest_sessionfinish(session, exitstatus):
    """Stop the fork servers that ran the tools (:mod:`fork_server`)."""
    import fork_server
    fork_server.shutdown()
