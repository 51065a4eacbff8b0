import pickle
from collections import OrderedDict

import pytest
from code_payload import RunsCode

from mmfgssl.utils import load_plain_pickle


def test_plain_data_loads(tmp_path):
    data = {
        'accuracy/top1': 61.5,
        'n': 3,
        'names': ['a', 'b'],
        'pair': (1, 2.5),
        'flags': {True, False},
        'none': None,
        'raw': b'\x00\x01'
    }
    path = tmp_path / 'metrics.pkl'
    # protocol 4 and newer (Python's default since 3.8, mmengine's dump)
    # write sets and bytes without naming a global
    for protocol in range(4, pickle.HIGHEST_PROTOCOL + 1):
        with open(path, 'wb') as f:
            pickle.dump(data, f, protocol=protocol)
        assert load_plain_pickle(str(path)) == data


@pytest.mark.parametrize(
    'payload',
    ['code', OrderedDict(a=1),
     pytest.param(object(), id='object')])
def test_every_global_is_refused_with_the_file_named(tmp_path, payload):
    marker = tmp_path / 'pwned'
    if payload == 'code':
        payload = RunsCode(marker)
    path = tmp_path / 'bad.pkl'
    with open(path, 'wb') as f:
        pickle.dump({'x': payload}, f)
    with pytest.raises(pickle.UnpicklingError, match='bad.pkl: refused '):
        load_plain_pickle(str(path))
    assert not marker.exists()
