"""tools/model_converters/ on a real checkpoint written by tools/train.py
(BYOL ResNet-18, 4 iterations on the tiny synthetic set)."""
import hashlib
import os
import os.path as osp
import sys

import numpy as np
import torch
import torchvision
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmpretrain.registry import MODELS
from skimage import data as skdata
from tool_runs import REPO_ROOT, completed, run

import mmfgssl  # noqa: F401  (registers; allow-lists checkpoint globals)

LINEAR = ('configs/benchmarks/linear/'
          'resnet18_1xb16-linear-coslr-50e_synthcub.py')


def linear_probe_model(checkpoint, **backbone):
    """The synthcub linear-probe classifier, its backbone (updated with
    ``backbone``) initialised the way configs/benchmarks documents:
    Pretrained with prefix 'backbone.'."""
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(osp.join(REPO_ROOT, LINEAR))
    cfg.model.backbone.update(backbone)
    cfg.model.backbone.init_cfg = dict(
        type='Pretrained', checkpoint=str(checkpoint), prefix='backbone.')
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def test_extract_backbone_loads_as_pretrained(byol_synthcub_checkpoint,
                                              tmp_path):
    original = torch.load(byol_synthcub_checkpoint)['state_dict']
    out = tmp_path / 'byol_r18_backbone.pth'
    run([
        sys.executable, 'tools/model_converters/extract_backbone.py',
        byol_synthcub_checkpoint,
        str(out)
    ])
    extracted = torch.load(out)
    assert extracted['meta']['extracted_from'] == byol_synthcub_checkpoint
    online = {k: v for k, v in original.items() if k.startswith('backbone.')}
    assert list(extracted['state_dict']) == list(online)
    assert len(online) == 120  # ResNet-18: 20 convs + 20 BNs x 5 entries
    # trained: the online backbone is not its EMA target copy
    assert not torch.equal(original['target_net.module.0.conv1.weight'],
                           extracted['state_dict']['backbone.conv1.weight'])

    backbone = linear_probe_model(out).backbone.state_dict()
    for key, value in online.items():
        assert torch.equal(backbone[key[len('backbone.'):]], value), key

    # and mmengine's load_checkpoint into a whole classifier: all of its
    # backbone is loaded, only the (linear) head is missing
    cfg = Config.fromfile(osp.join(REPO_ROOT, LINEAR))
    cfg.model.backbone.init_cfg = None
    classifier = MODELS.build(cfg.model)
    load_checkpoint(classifier, str(out), strict=False)
    for key, value in online.items():
        assert torch.equal(classifier.state_dict()[key], value), key


def test_torchvision_conversion_of_a_trained_checkpoint(
        byol_resnet18_checkpoint, byol_synthcub_checkpoint, tmp_path):
    # the synthetic configs' CIFAR-stem ResNet-18 has torchvision's keys but
    # not its shapes (3 x 3 stem, widths 16-128): refused, naming the key
    proc = completed([
        sys.executable, 'tools/model_converters/mmfgssl2torchvision.py',
        byol_synthcub_checkpoint,
        str(tmp_path / 'cifar_tv.pth')
    ])
    assert proc.returncode != 0 and "'conv1.weight'" in proc.stderr
    assert not (tmp_path / 'cifar_tv.pth').exists()
    out = tmp_path / 'byol_r18_tv.pth'
    log = run([
        sys.executable, 'tools/model_converters/mmfgssl2torchvision.py',
        byol_resnet18_checkpoint,
        str(out), '--num-classes', '10'
    ])
    assert 'added a freshly initialised (untrained) fc 512 -> 10' in log
    tv = torchvision.models.resnet18(num_classes=10)
    result = tv.load_state_dict(torch.load(out), strict=True)
    assert result.missing_keys == [] and result.unexpected_keys == []

    # the same last-stage features as the mmpretrain backbone loaded from the
    # training checkpoint itself, on a photo, both in eval mode
    mm = linear_probe_model(
        byol_resnet18_checkpoint,
        type='ResNet',
        stem_channels=64,
        base_channels=64).backbone
    mm.eval()
    trunk = torch.nn.Sequential(*list(tv.children())[:-2]).eval()
    img = torch.from_numpy(np.ascontiguousarray(skdata.astronaut()))
    img = img.permute(2, 0, 1)[None].float() / 255  # 1 x 3 x 512 x 512
    img = torch.nn.functional.interpolate(img, size=(64, 64), mode='area')
    with torch.no_grad():
        expected = mm(img)[-1]  # 1 x 512 x 2 x 2
        got = trunk(img)
    assert got.shape == expected.shape == (1, 512, 2, 2)
    assert expected.abs().max() > 0
    assert (got - expected).abs().max() <= 1e-5 * expected.abs().max()


def test_publish_model(byol_synthcub_checkpoint, tmp_path):
    original = torch.load(byol_synthcub_checkpoint)
    assert {'optimizer', 'message_hub', 'param_schedulers'} <= set(original)
    log = run([
        sys.executable, 'tools/model_converters/publish_model.py',
        byol_synthcub_checkpoint,
        str(tmp_path / 'byol_resnet18_synthcub.pth')
    ])
    (name, ) = os.listdir(tmp_path)
    assert f'as {tmp_path / name}' in log
    with open(tmp_path / name, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    assert name == f'byol_resnet18_synthcub-{sha[:8]}.pth'
    published = torch.load(tmp_path / name)
    assert set(published) == {'meta', 'state_dict'}
    assert published['meta']['iter'] == original['meta']['iter'] == 4
    assert published['state_dict'].keys() == original['state_dict'].keys()
    for key, value in original['state_dict'].items():
        assert torch.equal(published['state_dict'][key], value), key
    assert osp.getsize(tmp_path / name) < osp.getsize(byol_synthcub_checkpoint)


def test_checkpoint_without_backbone_is_refused(tmp_path):
    path = tmp_path / 'head_only.pth'
    torch.save(
        dict(
            meta={},
            state_dict={
                'neck.fc.weight': torch.zeros(4, 4),
                'head.fc.weight': torch.zeros(2, 4)
            }), path)
    for tool in ['extract_backbone.py', 'mmfgssl2torchvision.py']:
        proc = completed([
            sys.executable, f'tools/model_converters/{tool}',
            str(path),
            str(tmp_path / 'out.pth')
        ])
        assert proc.returncode != 0
        assert (f"error: {path} has no 'backbone.' keys, so there is no "
                'backbone to extract; its top-level prefixes are: head, '
                'neck') in proc.stderr
        assert not (tmp_path / 'out.pth').exists()
