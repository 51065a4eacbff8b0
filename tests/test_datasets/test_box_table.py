"""BoxTable: checks, in-place updates, shared memory, state."""
import pytest
import torch

from mmfgssl.datasets import BoxTable


def test_initial_boxes_and_updates_in_place():
    table = BoxTable(3, init_box=(0.1, 0.2, 0.9, 1.0))
    assert len(table) == 3 and not table.is_active
    assert table.boxes.is_shared() and table.active.is_shared()
    assert table.get(2).tolist() == pytest.approx([0.1, 0.2, 0.9, 1.0])
    storage = table.boxes.data_ptr()
    new = torch.tensor([[0., 0., 1., 1.], [.2, .2, .4, .4], [0, .5, .5, 1]])
    table.update(new)
    table.set_active(True)
    assert table.boxes.data_ptr() == storage  # written in place
    assert table.is_active
    assert table.get(1).tolist() == pytest.approx([.2, .2, .4, .4])

    other = BoxTable(3)
    other.load_state_dict(table.state_dict())
    assert torch.equal(other.boxes, table.boxes)


def test_bad_boxes_are_refused_with_their_index():
    with pytest.raises(ValueError, match='init_box'):
        BoxTable(2, init_box=(0.5, 0., 0.4, 1.))
    table = BoxTable(2)
    with pytest.raises(ValueError, match=r'box 1 \[0.0, 0.0, 1.5, 1.0\]'):
        table.update(torch.tensor([[0., 0., 1., 1.], [0., 0., 1.5, 1.]]))
    with pytest.raises(ValueError, match='3 boxes for a table of 2'):
        table.update(torch.tensor([[0., 0., 1., 1.]] * 3))
    with pytest.raises(ValueError, match='ckpt: 3 boxes.*has 2 samples'):
        table.load_state_dict(dict(boxes=torch.rand(3, 4)), 'ckpt')
    with pytest.raises(KeyError, match='ckpt'):
        table.load_state_dict({}, 'ckpt')
    with pytest.raises(IndexError, match='sample_idx 2'):
        table.get(2)
    with pytest.raises(ValueError, match='non-empty'):
        BoxTable(0)
