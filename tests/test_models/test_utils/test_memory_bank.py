"""MemoryBank: updates of the batch's rows, coverage, checkpoints and the
gather of uneven batches across ranks."""
import pytest
import torch
import torch.nn.functional as F

from mmfgssl.models.utils import MemoryBank
from mmfgssl.models.utils import memory_bank as bank_module


def test_update_touches_only_the_batch_rows():
    bank = MemoryBank(length=6, feat_dim=3, momentum=0.5)
    before = bank.bank.clone()
    feats = F.normalize(torch.randn(2, 3), dim=1)
    bank.update(torch.tensor([4, 1]), feats)
    for i in range(6):
        if i in (1, 4):
            row = feats[0 if i == 4 else 1]
            want = F.normalize(0.5 * before[i] + 0.5 * row, dim=0)
            assert torch.allclose(bank.bank[i], want, atol=1e-6)
        else:
            assert torch.equal(bank.bank[i], before[i])
    assert bank.written.tolist() == [False, True, False, False, True, False]
    assert abs(bank.written_fraction() - 2 / 6) < 1e-6


def test_rows_outside_the_memory_are_refused():
    bank = MemoryBank(length=4, feat_dim=2)
    with pytest.raises(ValueError, match='model.memory_bank.length'):
        bank.update(torch.tensor([1, 4]), torch.ones(2, 2))
    with pytest.raises(ValueError, match='momentum'):
        MemoryBank(length=4, momentum=1.0)


def test_the_memory_is_in_the_state_dict():
    """A checkpoint holds the rows and their coverage, so a resumed run
    goes on with the same memory."""
    bank = MemoryBank(length=5, feat_dim=4)
    bank.update(torch.tensor([2]), F.normalize(torch.ones(1, 4), dim=1))
    state = bank.state_dict()
    assert set(state) == {'bank', 'written'}
    other = MemoryBank(length=5, feat_dim=4)
    assert not torch.equal(other.bank, bank.bank)
    other.load_state_dict(state)
    assert torch.equal(other.bank, bank.bank)
    assert torch.equal(other.written, bank.written)


def test_gather_rows_of_uneven_ranks(monkeypatch):
    """Two fake ranks with 3 and 1 rows: the pads are cut off and the rows
    come in rank order."""
    other_rank = torch.tensor([[9., 9.]])

    def fake_all_gather(tensor):
        if tensor.dim() == 1 and tensor.dtype == torch.long:  # sizes
            return [tensor, torch.tensor([1])]
        padded = tensor.new_zeros(tensor.shape)
        padded[:1] = other_rank
        return [tensor, padded]

    monkeypatch.setattr(bank_module, 'all_gather', fake_all_gather)
    mine = torch.tensor([[1., 2.], [3., 4.], [5., 6.]])
    out = bank_module.gather_rows(mine)
    assert out.tolist() == [[1., 2.], [3., 4.], [5., 6.], [9., 9.]]
