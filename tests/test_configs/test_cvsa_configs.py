# Copyright (c) OpenMMLab. All rights reserved.
"""CVSA configs: stage 2 initialised from the whole stage-1 BYOL model
(backbone, projector and predictor hold the stage-1 tensors after
init_weights; the backbone-only config loads the backbone alone), and the
stage-l ablation configs run a training step on the stages they name."""
import copy
import os.path as osp

import numpy as np
import pytest
import torch
from config_files import load_config
from mmengine.logging import MessageHub
from mmengine.registry import DefaultScope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import mmfgssl  # noqa: F401
from mmfgssl.utils import replace_sync_bn

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STAGE1 = 'configs/cvsa/byol_resnet50_16xb64-coslr-800e_coco.py'
STAGE2 = 'configs/cvsa/cvsa_resnet50_16xb64-coslr-800e_cub-stage2-coco{}.py'


def build(config, checkpoint=None, seed=1):
    cfg = load_config(osp.join(REPO_ROOT, config))
    model_cfg = copy.deepcopy(cfg.model)
    replace_sync_bn(model_cfg)
    for part in ('backbone', 'neck', 'head'):
        init = model_cfg[part].get('init_cfg')
        if checkpoint and init and init.get('type') == 'Pretrained':
            init['checkpoint'] = checkpoint
    MessageHub.get_current_instance().update_info('max_iters', 10)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        torch.manual_seed(seed)
        return MODELS.build(model_cfg)


@pytest.mark.parametrize('suffix,loads_heads', [('', False),
                                                ('-fullinit', True)])
def test_stage2_loads_what_it_says(tmp_path, suffix, loads_heads):
    stage1 = build(STAGE1)
    ckpt = str(tmp_path / 'stage1.pth')
    torch.save(dict(state_dict=stage1.state_dict()), ckpt)
    want = stage1.state_dict()

    stage2 = build(STAGE2.format(suffix), ckpt, seed=2)  # other init
    stage2.init_weights()
    got = stage2.state_dict()
    for prefix, expected in (('backbone.', True), ('neck.', loads_heads),
                             ('head.predictor.', loads_heads)):
        keys = [
            k for k in want if k.startswith(prefix) and want[k].dim() >= 2
        ]  # conv / linear weights (random init)
        assert keys, prefix
        same = [torch.equal(got[k], want[k]) for k in keys]
        assert all(same) if expected else not any(same), prefix


@pytest.mark.parametrize('suffix,stages', [('', (4, )), ('-stage3', (3, )),
                                           ('-stage34', (3, 4))])
def test_stage_l_configs_align_the_stages_they_name(suffix, stages):
    config = f'configs/cvsa/cvsa_resnet18_16xb64-coslr{suffix}-400e_cub.py'
    model = build(config)
    assert model.align_stages == stages
    rng = np.random.default_rng(0)
    views = [
        torch.from_numpy(rng.integers(0, 255, (2, 3, 64, 64), np.uint8))
        for _ in range(2)
    ]
    samples = []
    for _ in range(2):
        sample = DataSample()
        masks = [np.zeros((64, 64), np.uint8) for _ in range(2)]
        for m in masks:
            m[8:40, 16:48] = 1
        sample.set_field(masks, 'saliency_mask')
        samples.append(sample)
    data = model.data_preprocessor(
        dict(inputs=views, data_samples=samples), True)
    losses = model.loss(data['inputs'], data['data_samples'])
    assert torch.isfinite(losses['loss_align'])
    losses['loss_align'].backward()
    # every aligned stage's dense branch gets a gradient
    branches = model.dense_neck.branches
    assert len(branches) == len(stages)
    for branch in branches:
        assert any(p.grad is not None and p.grad.abs().sum() > 0
                   for p in branch.parameters())
