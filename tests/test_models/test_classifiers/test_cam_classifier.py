"""CAMClassifier puts the right map into each predicted sample."""
import pytest
import torch
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import mmfgssl  # noqa: F401


def build(**kwargs):
    return MODELS.build(
        dict(
            type='CAMClassifier',
            backbone=dict(type='ResNet', depth=18, out_indices=(3, )),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=5, in_channels=512),
            **kwargs)).eval()


@pytest.mark.parametrize('cam_type', ['activation', 'class'])
def test_cam_in_predictions(cam_type):
    torch.manual_seed(0)
    model = build(cam_type=cam_type)
    x = torch.randn(2, 3, 64, 64)
    samples = [DataSample().set_gt_label(3), DataSample().set_gt_label(1)]
    out = model.predict(x, samples)
    fmap = model.backbone(x)[-1]  # 2 x 512 x 2 x 2
    for b, sample in enumerate(out):
        assert sample.cam.shape == (2, 2)
        assert sample.pred_score.shape == (5, )
        if cam_type == 'activation':
            expected = fmap[b].sum(0)
        else:
            w = model.head.fc.weight[[3, 1][b]]  # 512
            expected = (w[:, None, None] * fmap[b]).sum(0)
        assert torch.allclose(sample.cam, expected, atol=1e-4)


def test_bad_cam_type():
    with pytest.raises(ValueError, match='cam_type'):
        build(cam_type='gradcam')
