import pickle

import numpy as np
import pytest
import torch
from code_payload import RunsCode
from mmengine.logging import HistoryBuffer

import mmfgssl  # noqa: F401  (registers the allow-list)


def test_mmengine_message_hub_state_loads_with_weights_only(tmp_path):
    buf = HistoryBuffer()
    buf.update(0.5)  # kept as numpy arrays inside the buffer
    buf.update(1.25)
    ckpt = dict(
        state_dict=dict(w=torch.ones(2)),
        message_hub=dict(
            log_scalars={'train/loss': buf},
            runtime_info=dict(
                iter=np.int64(7),
                arr=np.arange(3),
                ratio=np.array(1.25, dtype=np.float32))))
    path = tmp_path / 'ckpt.pth'
    torch.save(ckpt, path)
    loaded = torch.load(path)  # weights_only=True is torch's default
    hub = loaded['message_hub']
    assert hub['log_scalars']['train/loss'].mean() == pytest.approx(0.875)
    assert hub['runtime_info']['iter'] == 7
    assert hub['runtime_info']['arr'].tolist() == [0, 1, 2]
    assert hub['runtime_info']['ratio'].dtype == np.float32


def test_other_globals_are_still_refused(tmp_path):
    path = tmp_path / 'evil.pth'
    marker = tmp_path / 'pwned'
    torch.save(dict(state_dict={}, payload=RunsCode(marker)), path)
    with pytest.raises(pickle.UnpicklingError, match='Weights only load') as e:
        torch.load(path)
    assert 'system' in str(e.value)
    assert not marker.exists()


class _FetchesAttribute:
    """A pickle payload asking ``getattr`` for something other than a
    HistoryBuffer statistics method."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


def test_getattr_is_limited_to_history_buffer_methods(tmp_path):
    path = tmp_path / 'attr.pth'
    torch.save(dict(payload=_FetchesAttribute()), path)
    with pytest.raises(pickle.UnpicklingError, match='only HistoryBuffer'):
        torch.load(path)
    path = tmp_path / 'method.pth'
    torch.save(dict(payload=HistoryBuffer.mean), path)
    assert torch.load(path)['payload'] is HistoryBuffer.mean
