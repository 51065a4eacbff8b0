"""The benchmark configs (configs/benchmarks) run from a checkpoint that a
pre-training run of this session saved, and really load its backbone."""
import collections
import json
import os
import os.path as osp
import pickle
import sys

import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import DATASETS, MODELS
from tool_runs import loader_options, run

import mmfgssl  # noqa: F401  (registers; allow-lists checkpoint globals)

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
LINEAR = ('configs/benchmarks/linear/'
          'resnet18_1xb16-linear-coslr-50e_synthcub.py')
FINETUNE = ('configs/benchmarks/finetune/'
            'resnet18_1xb16-finetune-coslr-50e_synthcub.py')
LINEAR_20PCT = ('configs/benchmarks/linear/'
                'resnet18_1xb16-linear-coslr-50e_synthcub-20pct.py')


def backbone_state(path):
    state = torch.load(path, map_location='cpu')['state_dict']
    return {
        k[len('backbone.'):]: v
        for k, v in state.items() if k.startswith('backbone.')
    }


def run_benchmark(config, ckpt, data_root, work_dir):
    """Train 1 epoch (16 images, batch 4: 4 iterations), validate on the
    test split, save epoch_1.pth; returns the logged rows."""
    run([
        sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
        '--cfg-options', f'model.backbone.init_cfg.checkpoint={ckpt}',
        *loader_options(data_root), 'train_dataloader.batch_size=4',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'default_hooks.logger.interval=1',
        'default_hooks.checkpoint.interval=1'
    ])
    rows = []
    for dirpath, _, files in os.walk(work_dir):
        if 'scalars.json' in files:
            with open(osp.join(dirpath, 'scalars.json')) as f:
                rows += [json.loads(line) for line in f]
    return rows


@pytest.mark.parametrize('config', [LINEAR, FINETUNE])
def test_init_cfg_loads_the_pretrained_backbone(config,
                                                byol_synthcub_checkpoint):
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    cfg.model.backbone.init_cfg.checkpoint = byol_synthcub_checkpoint
    model = MODELS.build(cfg.model)
    before = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    model.init_weights()
    loaded = model.backbone.state_dict()
    pretrained = backbone_state(byol_synthcub_checkpoint)
    assert set(loaded) == set(pretrained)
    for key, value in pretrained.items():
        assert torch.equal(loaded[key], value), key
    # and it was not already equal at random init
    assert not torch.equal(before['conv1.weight'], pretrained['conv1.weight'])


def test_linear_probe_runs_and_keeps_the_backbone(byol_synthcub_checkpoint,
                                                  tiny_synthetic_cub,
                                                  tmp_path):
    work_dir = str(tmp_path / 'linear')
    rows = run_benchmark(LINEAR, byol_synthcub_checkpoint, tiny_synthetic_cub,
                         work_dir)
    train = [r for r in rows if 'loss' in r]
    assert [r['iter'] for r in train] == [1, 2, 3, 4]
    assert all(torch.isfinite(torch.tensor(r['loss'])) for r in train)
    assert any('accuracy/top1' in r for r in rows)  # validated on test
    # frozen backbone, BN in eval mode: every tensor, running statistics
    # included, is still the pre-trained one after the probe trained
    trained = backbone_state(osp.join(work_dir, 'epoch_1.pth'))
    pretrained = backbone_state(byol_synthcub_checkpoint)
    for key, value in pretrained.items():
        assert torch.equal(trained[key], value), key
    head = torch.load(osp.join(work_dir, 'epoch_1.pth'))['state_dict']
    assert head['head.fc.weight'].shape == (10, 128)


def test_finetune_runs_from_the_pretrained_backbone(byol_synthcub_checkpoint,
                                                    tiny_synthetic_cub,
                                                    tmp_path):
    work_dir = str(tmp_path / 'finetune')
    rows = run_benchmark(FINETUNE, byol_synthcub_checkpoint,
                         tiny_synthetic_cub, work_dir)
    assert [r['iter'] for r in rows if 'loss' in r] == [1, 2, 3, 4]
    trained = backbone_state(osp.join(work_dir, 'epoch_1.pth'))
    pretrained = backbone_state(byol_synthcub_checkpoint)
    # the whole network trained ...
    assert not torch.equal(trained['layer4.1.conv2.weight'],
                           pretrained['layer4.1.conv2.weight'])
    # ... starting from the pre-trained weights, not from a random init
    torch.manual_seed(1)
    backbone_cfg = Config.fromfile(osp.join(REPO_ROOT,
                                            FINETUNE)).model.backbone
    backbone_cfg.init_cfg = None
    random = MODELS.build(backbone_cfg)
    random.init_weights()
    for key in ('conv1.weight', 'layer4.1.conv2.weight'):
        moved = (trained[key] - pretrained[key]).norm()
        far = (random.state_dict()[key] - pretrained[key]).norm()
        assert moved < 0.5 * far, key


def test_label_fraction_config_is_class_balanced(tiny_synthetic_cub):
    cfg = Config.fromfile(osp.join(REPO_ROOT, LINEAR_20PCT))
    dataset_cfg = cfg.train_dataloader.dataset
    assert dataset_cfg.type == 'ClassBalancedSubset'
    dataset_cfg.dataset.data_root = tiny_synthetic_cub
    first = DATASETS.build(dataset_cfg)
    second = DATASETS.build(dataset_cfg)
    # 20 % of 4 images per class rounds to 1: one image of each class
    assert collections.Counter(first.get_gt_labels().tolist()) == {
        0: 1,
        1: 1,
        2: 1,
        3: 1
    }
    assert list(first.indices) == list(second.indices)


def tools_test_metrics(config, ckpt, data_root, tmp_path):
    """The metrics of ``tools/test.py CONFIG CKPT`` on the tiny set."""
    out = str(tmp_path / 'metrics.pkl')
    run([
        sys.executable, 'tools/test.py', config, ckpt, '--work-dir',
        str(tmp_path), '--out', out, '--cfg-options',
        f'test_dataloader.dataset.data_root={data_root}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ])
    with open(out, 'rb') as f:
        return pickle.load(f)


def test_maxboxacc_config_with_tools_test(byol_synthcub_checkpoint,
                                          tiny_synthetic_cub, tmp_path):
    config = ('configs/benchmarks/maxboxacc/'
              'resnet18_maxboxacc-activation_synthcub.py')
    metrics = tools_test_metrics(config, byol_synthcub_checkpoint,
                                 tiny_synthetic_cub, tmp_path)
    # 8 test images: the accuracy is a multiple of 12.5 %
    acc = metrics['loc/MaxBoxAcc']
    assert 0 <= acc <= 100 and (acc / 12.5) == int(acc / 12.5)
    assert 0 <= metrics['loc/best_threshold'] < 1


def test_retrieval_config_on_a_byol_checkpoint(byol_synthcub_checkpoint,
                                               tiny_synthetic_cub, tmp_path):
    """The "-avg" retrieval config evaluates a plain BYOL checkpoint (not a
    GFB one): rank-1 / rank-5 / mAP of the 8 test images."""
    config = ('configs/benchmarks/retrieval/'
              'resnet18_retrieval-avg_synthcub.py')
    metrics = tools_test_metrics(config, byol_synthcub_checkpoint,
                                 tiny_synthetic_cub, tmp_path)
    assert set(metrics) >= {
        'retrieval/rank1', 'retrieval/rank5', 'retrieval/mAP'
    }
    # 8 queries: rank-k is a multiple of 12.5 %
    for k in ('rank1', 'rank5'):
        value = metrics[f'retrieval/{k}']
        assert value / 12.5 == int(value / 12.5)
    assert metrics['retrieval/rank1'] <= metrics['retrieval/rank5']
