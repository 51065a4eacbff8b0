"""Every entry point that takes a checkpoint refuses a code payload in one
given by address (served from 127.0.0.1 by the test) as it does for a local
file, and loads a genuine one: ``--resume URL``, ``load_from=URL``,
``init_cfg=dict(type='Pretrained', checkpoint=URL)``, ``tools/test.py``,
``knn_eval.py``, ``extract_backbone.py``, ``mmfgssl2torchvision.py`` and
``vis_attention.py``."""
import os
import os.path as osp
import sys

import pytest
import torch
from code_payload import RunsCode, serve_folder
from tool_runs import call, tiny_options

BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'
LINEAR = ('configs/benchmarks/linear/'
          'resnet18_1xb16-linear-coslr-50e_synthcub.py')


@pytest.fixture
def server(tmp_path):
    """(folder, base address) of an HTTP server on 127.0.0.1 that serves the
    folder for the test's duration."""
    folder = tmp_path / 'served'
    folder.mkdir()
    with serve_folder(folder) as base:
        yield folder, base


def run_tool(args, tmp_path):
    """(returncode, log) of a tool run from the repository root, with a
    fresh torch hub folder (nothing cached)."""
    returncode, out, err = call([sys.executable, *args],
                                TORCH_HOME=str(tmp_path / 'torch_home'))
    return returncode, out + err


def entry_points(url, data_root, tmp_path):
    work = str(tmp_path / 'work')
    train = ['tools/train.py', BYOL, '--work-dir', work]
    tiny = tiny_options(data_root, 1)
    return {
        'train --resume':
        train + ['--resume', url] + tiny,
        'train load_from':
        train + tiny + [f'load_from={url}'],
        'train init_cfg':
        train + tiny + [
            'model.backbone.init_cfg.type=Pretrained',
            f'model.backbone.init_cfg.checkpoint={url}'
        ],
        'test.py': [
            'tools/test.py', LINEAR, url, '--work-dir', work, '--cfg-options',
            f'test_dataloader.dataset.data_root={data_root}',
            'test_dataloader.num_workers=0',
            'test_dataloader.persistent_workers=False'
        ],
        'knn_eval.py': [
            'tools/analysis_tools/knn_eval.py', BYOL, url, '--data-root',
            data_root, '--num-workers', '0'
        ],
        'extract_backbone.py': [
            'tools/model_converters/extract_backbone.py', url,
            str(tmp_path / 'backbone.pth')
        ],
        'mmfgssl2torchvision.py': [
            'tools/model_converters/mmfgssl2torchvision.py', url,
            str(tmp_path / 'tv.pth')
        ],
        'vis_attention.py': [
            'tools/visualization/vis_attention.py', BYOL, url, '--data-root',
            data_root, '--num-images', '1', '--out',
            str(tmp_path / 'maps.png')
        ],
    }


ENTRY_POINTS = [
    'train --resume', 'train load_from', 'train init_cfg', 'test.py',
    'knn_eval.py', 'extract_backbone.py', 'mmfgssl2torchvision.py',
    'vis_attention.py'
]


@pytest.mark.parametrize('name', ENTRY_POINTS)
def test_served_payload_is_refused(server, tiny_synthetic_cub, tmp_path, name):
    folder, base = server
    marker = tmp_path / 'pwned'
    torch.save(
        dict(
            state_dict={'backbone.conv1.weight': torch.ones(1)},
            payload=RunsCode(marker)), folder / 'evil.pth')
    args = entry_points(base + 'evil.pth', tiny_synthetic_cub, tmp_path)[name]
    rc, log = run_tool(args, tmp_path)
    assert rc != 0, log[-3000:]
    assert 'Weights only load failed' in log, log[-3000:]
    assert not marker.exists()


def test_served_checkpoint_of_a_run_is_used(server, tiny_synthetic_cub,
                                            tmp_path):
    # the positive side: a run's own checkpoint, served, is resumed from and
    # converted
    folder, base = server
    work = str(tmp_path / 'first')
    rc, log = run_tool([
        'tools/train.py', BYOL, '--work-dir', work,
        *tiny_options(tiny_synthetic_cub, 1)
    ], tmp_path)
    assert rc == 0, log[-3000:]
    os.replace(osp.join(work, 'epoch_1.pth'), folder / 'epoch_1.pth')
    url = base + 'epoch_1.pth'
    rc, log = run_tool([
        'tools/train.py', BYOL, '--work-dir',
        str(tmp_path / 'resumed'), '--resume', url,
        *tiny_options(tiny_synthetic_cub, 2)
    ], tmp_path)
    assert rc == 0, log[-3000:]
    assert 'resumed epoch: 1, iter: 4' in log
    assert osp.exists(tmp_path / 'resumed' / 'epoch_2.pth')
    out = tmp_path / 'backbone.pth'
    rc, log = run_tool(
        ['tools/model_converters/extract_backbone.py', url,
         str(out)], tmp_path)
    assert rc == 0, log[-3000:]
    extracted = torch.load(out)
    assert 'backbone.conv1.weight' in extracted['state_dict']
    assert extracted['meta']['extracted_from'] == url
