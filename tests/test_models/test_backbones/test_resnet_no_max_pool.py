# Copyright (c) OpenMMLab. All rights reserved.
"""ResNetNoMaxPool: ResNet's weights, the stem without max-pool, a last
stage twice as large, the same computation otherwise."""
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

import mmfgssl  # noqa: F401


def test_same_weights_no_max_pool_twice_the_map():
    torch.manual_seed(0)
    plain = MODELS.build(dict(type='ResNet', depth=18))
    nomax = MODELS.build(dict(type='ResNetNoMaxPool', depth=18))
    nomax.load_state_dict(plain.state_dict())  # same names and shapes
    plain.eval()
    nomax.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert plain(x)[-1].shape[-2:] == (2, 2)
        got = nomax(x)[-1]
        assert got.shape[-2:] == (4, 4)
        # independent: the stem by hand, no max-pool, then the stages
        y = F.relu(plain.norm1(plain.conv1(x)))
        for name in plain.res_layers:
            y = getattr(plain, name)(y)
    torch.testing.assert_close(got, y)
