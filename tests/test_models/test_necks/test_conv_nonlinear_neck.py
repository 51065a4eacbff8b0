import pytest
import torch

from mmfgssl.models import ConvNonLinearNeck


def test_conv_neck_is_a_per_position_mlp():
    torch.manual_seed(0)
    neck = ConvNonLinearNeck([8, 16], 12, 4, norm_cfg=dict(type='BN'))
    neck.init_weights()
    neck.eval()  # BN with running statistics: a per-position function
    x = (torch.randn(2, 8, 5, 5), torch.randn(2, 16, 3, 3))
    out = neck(x)
    assert [tuple(o.shape) for o in out] == [(2, 4, 5, 5), (2, 4, 3, 3)]
    # 1x1 conv - BN - ReLU - 1x1 conv, recomputed on one position
    conv1, bn, _, conv2 = neck.branches[1]
    v = x[1][1, :, 2, 0]  # C
    hidden = conv1.weight[:, :, 0, 0] @ v  # 12
    hidden = (hidden - bn.running_mean
              ) / torch.sqrt(bn.running_var + bn.eps) * bn.weight + bn.bias
    expected = conv2.weight[:, :, 0, 0] @ hidden.clamp(min=0) + conv2.bias
    torch.testing.assert_close(out[1][1, :, 2, 0], expected)


def test_conv_neck_checks_the_number_of_levels():
    neck = ConvNonLinearNeck(8, 12, 4, norm_cfg=dict(type='BN'))
    with pytest.raises(ValueError, match='1 levels'):
        neck((torch.zeros(1, 8, 2, 2), torch.zeros(1, 8, 2, 2)))
