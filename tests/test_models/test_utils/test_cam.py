"""CAM functions against explicit loops."""
import torch

from mmfgssl.models.utils import activation_cam, class_cam


def test_activation_and_class_cam_loops():
    torch.manual_seed(0)
    feat = torch.randn(2, 3, 4, 5)
    weight = torch.randn(6, 3)
    labels = torch.tensor([4, 1])
    act = activation_cam(feat)
    cls = class_cam(feat, weight, labels)
    assert act.shape == cls.shape == (2, 4, 5)
    for b in range(2):
        for i in range(4):
            for j in range(5):
                s = sum(float(feat[b, c, i, j]) for c in range(3))
                w = sum(
                    float(weight[labels[b], c]) * float(feat[b, c, i, j])
                    for c in range(3))
                assert abs(float(act[b, i, j]) - s) < 1e-5
                assert abs(float(cls[b, i, j]) - w) < 1e-5
