# Copyright (c) OpenMMLab. All rights reserved.
"""The Eq. 8 neck gives a linear-probe ImageClassifier, loaded from a GFB
checkpoint, the same feature as the pre-training model's tensor mode."""

import pytest
import torch
from gfb_models import BACKBONE, GFB, build, moco_cfg, views
from mmpretrain.registry import MODELS

import mmfgssl  # noqa: F401


@pytest.mark.parametrize('l2_normalize', [True, False])
def test_linear_probe_neck_matches_the_ssl_tensor_mode(tmp_path, l2_normalize):
    """The neck's feature is the SSL model's Eq. 8 feature, divided by its
    L2 norm by default (the authors' linear probe)."""
    ssl = build(moco_cfg())
    ssl.loss(views(), None)  # BN statistics of the GFB move away from init
    ckpt = str(tmp_path / 'gfb.pth')
    torch.save(dict(state_dict=ssl.state_dict()), ckpt)

    clf = MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=dict(
                BACKBONE,
                frozen_stages=4,
                init_cfg=dict(
                    type='Pretrained', checkpoint=ckpt, prefix='backbone.')),
            neck=dict(
                type='GFBWeightedPooling',
                l2_normalize=l2_normalize,
                gfb_head=dict(
                    GFB,
                    init_cfg=dict(
                        type='Pretrained', checkpoint=ckpt,
                        prefix='gfb_head.'))),
            head=dict(type='LinearClsHead', num_classes=3, in_channels=512)))
    clf.init_weights()
    clf.train()  # the linear probe trains; the GFB stays frozen
    assert not clf.neck.gfb_head.training
    assert not any(p.requires_grad for p in clf.neck.gfb_head.parameters())

    ssl.eval()
    imgs = views(batch=3, seed=7)[0]
    with torch.no_grad():
        (want, ) = ssl.extract_feat(imgs)
        clf.eval()
        (got, ) = clf.extract_feat(imgs)
    if l2_normalize:
        norms = torch.tensor(
            [sum(float(v)**2 for v in row)**0.5 for row in want])
        want = want / norms[:, None]
        assert torch.allclose(got.norm(dim=1), torch.ones(3))
    assert torch.allclose(got, want, rtol=1e-5, atol=1e-6)
    assert not torch.allclose(got, ssl.backbone(imgs)[-1].mean(dim=(2, 3)))


@pytest.mark.parametrize('norm, match', [
    (dict(denominator='min'), r'GFBWeightedPooling\.attention_norm\.'
     'denominator'),
    (dict(per_img=True), r"GFBWeightedPooling: unknown attention_norm keys "
     r"\['per_img'\]"),
])
def test_bad_attention_norm_fails_at_build(norm, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(
            dict(
                type='GFBWeightedPooling',
                gfb_head=dict(
                    type='GFBHead', in_channels=16, num_projections=4),
                attention_norm=norm))
