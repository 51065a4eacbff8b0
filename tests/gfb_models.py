"""Tiny MoCo v2 + GFB and BYOL + GFB models (ResNet-18, 64 px views) for the
GFB algorithm and neck tests, and the BYOL projector / predictor dicts that
the CVSA tests share."""
import torch
from mmengine.logging import MessageHub
from mmpretrain.registry import MODELS

import mmfgssl  # noqa: F401

# ResNet-18 with a stride-1 last stage: 64 px inputs give a 4 x 4 map
BACKBONE = dict(
    type='ResNet', depth=18, strides=(1, 2, 2, 1), norm_cfg=dict(type='BN'))
PREPROCESSOR = dict(
    type='SelfSupDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
GFB = dict(type='GFBHead', in_channels=512, num_projections=8)


def mlp_neck(in_channels,
             out_channels=16,
             hid_channels=64,
             with_avg_pool=True,
             **kwargs):
    """A BYOL projector (``with_avg_pool``) or predictor MLP."""
    return dict(
        type='NonLinearNeck',
        in_channels=in_channels,
        hid_channels=hid_channels,
        out_channels=out_channels,
        with_avg_pool=with_avg_pool,
        norm_cfg=dict(type='BN1d'),
        **kwargs)


def byol_head(dim=16, hid_channels=64, **predictor_kwargs):
    """BYOL's head: a predictor MLP and the cosine-similarity loss."""
    return dict(
        type='LatentPredictHead',
        loss=dict(type='CosineSimilarityLoss'),
        predictor=mlp_neck(
            dim, dim, hid_channels, with_avg_pool=False, **predictor_kwargs))


def moco_cfg(**kwargs):
    cfg = dict(
        type='MoCoGFB',
        backbone=BACKBONE,
        neck=dict(
            type='MoCoV2Neck',
            in_channels=512,
            hid_channels=64,
            out_channels=16,
            with_avg_pool=True),
        head=dict(
            type='ContrastiveHead',
            loss=dict(type='CrossEntropyLoss'),
            temperature=0.2),
        queue_len=32,
        feat_dim=16,
        data_preprocessor=PREPROCESSOR,
        gfb_head=GFB)
    cfg.update(kwargs)
    return cfg


def byol_cfg(**kwargs):
    cfg = dict(
        type='BYOLGFB',
        backbone=BACKBONE,
        neck=mlp_neck(512),
        head=byol_head(),
        data_preprocessor=PREPROCESSOR,
        gfb_head=GFB)
    cfg.update(kwargs)
    return cfg


def build(cfg):
    torch.manual_seed(0)
    # BYOL's CosineEMA reads max_iters from the message hub
    MessageHub.get_current_instance().update_info('max_iters', 10)
    model = MODELS.build(cfg)
    model.init_weights()
    model.train()
    return model


def views(batch=4, size=64, seed=1):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(batch, 3, size, size, generator=g) for _ in range(2)]
