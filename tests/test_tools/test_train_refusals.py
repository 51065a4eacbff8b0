"""tools/train.py refuses, before training, a run whose epoch has no
iteration or whose batches do not fill MoCo's queue evenly, and saves
nothing (without the check MoCo v2 exits 0 after 0 iterations with an
untrained checkpoint, BYOL fails building its schedule)."""
import glob
import os.path as osp
import sys

import pytest
from tool_runs import completed

CONFIGS = {
    'byol': 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
    'mocov2': 'configs/mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py',
    'mocov2-ccrop': 'configs/contrastive_crop/'
    'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py',
    'mocov2-gfb':
    'configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py',
}


def train(config, data_root, work_dir, *options):
    proc = completed([
        sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
        '--cfg-options', f'train_dataloader.dataset.data_root={data_root}',
        'train_dataloader.num_workers=0', 'train_cfg.max_epochs=1', *options
    ])
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize('name', list(CONFIGS))
def test_batch_larger_than_the_dataset_is_refused(tiny_synthetic_cub, tmp_path,
                                                  name):
    work = str(tmp_path / 'work')
    rc, log = train(CONFIGS[name], tiny_synthetic_cub, work)  # batch 32
    assert rc != 0
    assert ('refusing to train: an epoch has 0 iterations (16 samples, '
            'train_dataloader.batch_size=32 per process x 1 process(es), '
            'drop_last=True)') in log, log[-3000:]
    assert glob.glob(osp.join(work, '*.pth')) == []


def test_a_queue_the_batches_do_not_fill_is_refused(tiny_synthetic_cub,
                                                    tmp_path):
    rc, log = train(CONFIGS['mocov2'], tiny_synthetic_cub,
                    str(tmp_path / 'work'), 'train_dataloader.batch_size=4',
                    'model.queue_len=10')
    assert rc != 0
    assert 'model.queue_len=10 is not a multiple of the global batch 4' in (
        log), log[-3000:]


def test_an_evaluation_moved_to_a_set_with_more_classes(tmp_path):
    """tools/test.py with only val_dataloader moved: the test loader follows
    it (the config binds test_dataloader = val_dataloader), and a 10-way
    probe on a 12-class set stops before testing, naming both counts."""
    from mmfgssl.datasets.synthetic_cub import make_synthetic_cub
    root = str(tmp_path / 'twelve')
    make_synthetic_cub(
        root, num_classes=12, train_per_class=1, test_per_class=1, img_size=32)
    proc = completed([
        sys.executable, 'tools/test.py', 'configs/benchmarks/linear/'
        'resnet18_1xb16-linear-coslr-50e_synthcub.py',
        str(tmp_path / 'unused.pth'), '--work-dir',
        str(tmp_path / 'work'), '--cfg-options',
        f'val_dataloader.dataset.data_root={root}',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False'
    ])
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert ('test_* follows val_* (one loader / evaluator in the config): '
            'also set test_dataloader.dataset.data_root') in log, log[-3000:]
    assert (f'model.head.num_classes=10 but the dataset of test_dataloader '
            f'({root}) has 12 classes') in log, log[-3000:]
