"""Attention maps of a BYOL model and a MoCoGFB model at random init."""
import numpy as np
import torch
from mmengine.config import Config

import mmfgssl  # noqa: F401
from mmfgssl.visualization import (activation_heatmap, gfb_attention,
                                   load_ssl_model, ssl_loss_gradcam)

BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'
GFB = 'configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py'


def test_maps_shapes_ranges_and_gradcam_by_hand():
    torch.manual_seed(0)
    model = load_ssl_model(Config.fromfile(BYOL), None)
    x = torch.randn(2, 3, 64, 64)
    y = torch.randn(2, 3, 64, 64)
    act = activation_heatmap(model, x)
    assert act.shape == (2, 64, 64)
    assert act.min() >= 0 and np.isclose(act.max(), 1)
    assert gfb_attention(model, x) is None  # BYOL has no GFB
    cam = ssl_loss_gradcam(model, [x, y])
    assert cam.shape == (2, 64, 64) and cam.min() >= 0 and cam.max() <= 1
    assert gfb_attention(load_ssl_model(Config.fromfile(GFB), None),
                         x).shape == (2, 64, 64)
