import pytest
import torch

from mmfgssl.models import SaliencyAlignLoss
from mmfgssl.models.utils import downsample_mask


def test_loss_weight_reduction_and_zero_at_the_mask():
    mask = torch.zeros(2, 32, 32)
    mask[0, 4:20, 8:30] = 1
    target = downsample_mask(mask, (4, 4))
    corr = target.flatten(1)
    assert float(SaliencyAlignLoss()(corr, target)) == 0.
    off = corr.clone()
    off[0, 0] += 0.5
    assert float(SaliencyAlignLoss(3.0)(off, target)) == pytest.approx(
        3.0 * 0.25 / 2)
    assert float(SaliencyAlignLoss(1.0, 'mean')(off, target)) == \
        pytest.approx(0.25 / 2 / 16)
    with pytest.raises(ValueError, match='reduction'):
        SaliencyAlignLoss(reduction='none')
