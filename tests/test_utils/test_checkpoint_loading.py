import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

import mmfgssl  # noqa: F401  (registers the allow-list)


class _RunsCode:
    """A pickle payload that would run code when unpickled."""

    def __reduce__(self):
        return (os.system, ('echo pwned', ))


def test_mmengine_message_hub_state_loads_with_weights_only(tmp_path):
    buf = HistoryBuffer()
    buf.update(np.float64(0.5))
    buf.update(np.array(1.25, dtype=np.float32))
    ckpt = dict(
        state_dict=dict(w=torch.ones(2)),
        message_hub=dict(
            log_scalars={'train/loss': buf},
            runtime_info=dict(iter=np.int64(7), arr=np.arange(3))))
    path = tmp_path / 'ckpt.pth'
    torch.save(ckpt, path)
    loaded = torch.load(path)  # weights_only=True is torch's default
    hub = loaded['message_hub']
    assert hub['log_scalars']['train/loss'].mean() == pytest.approx(0.875)
    assert hub['runtime_info']['iter'] == 7
    assert hub['runtime_info']['arr'].tolist() == [0, 1, 2]


def test_other_globals_are_still_refused(tmp_path):
    path = tmp_path / 'evil.pth'
    torch.save(dict(state_dict={}, payload=_RunsCode()), path)
    with pytest.raises(pickle.UnpicklingError, match='Unsupported global'):
        torch.load(path)
