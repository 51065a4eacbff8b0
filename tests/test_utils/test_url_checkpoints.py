"""A checkpoint given by address loads with the same allow-list as a local
file: mmengine's own loaders for ``http(s)://`` (and ``torchvision://``,
``open-mmlab://``, ``mmcls://``, which resolve to an address) unpickle with
``weights_only=False``, so a payload in a served checkpoint would run.

The files are served by an HTTP server on 127.0.0.1 that each test starts and
stops itself."""
import pickle

import numpy as np
import pytest
import torch
from code_payload import RunsCode, serve_folder
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader
from mmengine.runner import checkpoint as mmengine_checkpoint

import mmfgssl  # noqa: F401  (registers the loaders)
from mmfgssl.utils import URL_SCHEMES


@pytest.fixture
def served(tmp_path):
    """(folder, base address): files written into the folder are served at
    ``base + name`` until the test ends."""
    folder = tmp_path / 'served'
    folder.mkdir()
    with serve_folder(folder) as base:
        yield folder, base


@pytest.fixture(autouse=True)
def hub_dir(tmp_path, monkeypatch):
    """Downloads go to a fresh torch hub folder (no cached file reused)."""
    path = tmp_path / 'torch_home'
    monkeypatch.setenv('TORCH_HOME', str(path))
    old = torch.hub.get_dir()
    torch.hub.set_dir(str(path / 'hub'))
    yield path
    torch.hub.set_dir(old)


def evil_checkpoint(folder, marker, name='evil.pth'):
    torch.save(
        dict(state_dict=dict(w=torch.ones(2)), payload=RunsCode(marker)),
        folder / name)
    return name


def mmengine_like_checkpoint(folder, name='good.pth'):
    buf = HistoryBuffer()
    buf.update(0.5)
    buf.update(1.25)
    ckpt = dict(
        meta=dict(epoch=3),
        state_dict={
            'w': torch.arange(4.),
            'backbone.w2': torch.ones(3)
        },
        message_hub=dict(
            log_scalars={'train/loss': buf},
            runtime_info=dict(iter=np.int64(7))))
    torch.save(ckpt, folder / name)
    return name


def test_every_address_scheme_has_the_weights_only_loader():
    for prefixes, loader in URL_SCHEMES.items():
        for prefix in prefixes:
            found = CheckpointLoader._get_checkpoint_loader(prefix + 'x.pth')
            assert found is loader, prefix
    # the ones mmengine registered are gone
    for name in ('load_from_http', 'load_from_torchvision',
                 'load_from_openmmlab', 'load_from_mmcls'):
        assert getattr(mmengine_checkpoint,
                       name) not in (CheckpointLoader._schemes.values()), name


def test_mmengine_loader_runs_the_payload(served, tmp_path):
    # the failure this guards against, reproduced: mmengine's own http
    # loader unpickles the served payload, which runs
    folder, base = served
    marker = tmp_path / 'pwned'
    name = evil_checkpoint(folder, marker)
    mmengine_checkpoint.load_from_http(
        base + name, model_dir=str(tmp_path / 'mmengine_cache'))
    assert marker.exists()


def test_served_payload_is_refused(served, tmp_path):
    folder, base = served
    marker = tmp_path / 'pwned'
    name = evil_checkpoint(folder, marker)
    with pytest.raises(pickle.UnpicklingError, match='Weights only load'):
        CheckpointLoader.load_checkpoint(base + name, map_location='cpu')
    assert not marker.exists()


def test_served_mmengine_checkpoint_loads(served):
    folder, base = served
    name = mmengine_like_checkpoint(folder)
    ckpt = CheckpointLoader.load_checkpoint(base + name, map_location='cpu')
    assert ckpt['meta'] == dict(epoch=3)
    assert torch.equal(ckpt['state_dict']['w'], torch.arange(4.))
    hub = ckpt['message_hub']
    assert hub['log_scalars']['train/loss'].mean() == pytest.approx(0.875)
    assert hub['runtime_info']['iter'] == 7


@pytest.mark.parametrize('scheme, table', [
    ('torchvision://', 'get_torchvision_models'),
    ('modelzoo://', 'get_torchvision_models'),
    ('open-mmlab://', 'get_external_models'),
    ('openmmlab://', 'get_external_models'),
    ('mmcls://', 'get_mmcls_models'),
])
def test_named_models_resolve_to_the_weights_only_loader(
        served, tmp_path, monkeypatch, scheme, table):
    folder, base = served
    marker = tmp_path / 'pwned'
    evil = evil_checkpoint(folder, marker)
    good = mmengine_like_checkpoint(folder)
    monkeypatch.setattr(
        mmengine_checkpoint, table, lambda: {
            'evil_model': base + evil,
            'good_model': base + good
        })
    with pytest.raises(pickle.UnpicklingError, match='Weights only load'):
        CheckpointLoader.load_checkpoint(scheme + 'evil_model')
    assert not marker.exists()
    ckpt = CheckpointLoader.load_checkpoint(scheme + 'good_model')
    if scheme == 'mmcls://':  # the backbone's keys, as mmengine's loader
        assert set(ckpt) == {'state_dict'}
        assert list(ckpt['state_dict']) == ['w2']
    else:
        assert torch.equal(ckpt['state_dict']['w'], torch.arange(4.))
    with pytest.raises(KeyError, match='no_such_model'):
        CheckpointLoader.load_checkpoint(scheme + 'no_such_model')
