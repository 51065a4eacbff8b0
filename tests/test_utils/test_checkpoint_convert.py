"""mmfgssl.utils.checkpoint_convert: backbone extraction from every
algorithm's checkpoint file, publishing, and the mmpretrain <-> torchvision
ResNet conversion checked by loading and by comparing features."""
import hashlib
import os
import os.path as osp

import numpy as np
import pytest
import torch
import torchvision
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import save_checkpoint
from mmpretrain.models import ResNet, ResNetV1c, ResNetV1d
from mmpretrain.registry import MODELS
from skimage import data as skdata

import mmfgssl  # noqa: F401  (registers the models)
from mmfgssl.utils import (checkpoint_state_dict, extract_backbone,
                           mmpretrain_to_torchvision, publish_checkpoint,
                           resnet_arch, save_published, sha256sum)

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# config -> prefix of the momentum / target copy of the backbone
ALGORITHMS = {
    'byol/byol_resnet18_1xb32-coslr-100e_synthcub.py':
    'target_net.module.0.',
    'mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py':
    'encoder_k.module.0.',
    'cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py':
    'target_net.module.0.',
    'lcr/byol-gfb_resnet18_1xb32-coslr-100e_synthcub.py':
    'target_net.module.0.',
    'lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py':
    'encoder_k.module.0.',
    'contrastive_crop/byol-ccrop_resnet18_1xb32-coslr-100e_synthcub.py':
    'target_net.module.0.',
    'contrastive_crop/mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py':
    'encoder_k.module.0.',
    'dilo/byol-dilo_resnet18_1xb32-coslr-100e_synthcub.py':
    'target_net.module.0.',
    'dilo/mocov2-dilo_resnet18_1xb32-coslr-100e_synthcub.py':
    'encoder_k.module.0.',
}


def save_runner_like_checkpoint(config, path):
    """Build a config's model, take one SGD step on its online backbone (so
    that it differs from the momentum copy) and save what mmengine's Runner
    saves: meta, state_dict, optimizer, param_schedulers, message_hub."""
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs', config))
    model = MODELS.build(cfg.model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    for param in model.backbone.parameters():
        param.grad = torch.randn_like(param)
    optimizer.step()
    hub = MessageHub.get_instance(f'conv_test_{config}')
    hub.update_scalar('train/loss', 1.5)
    save_checkpoint(
        dict(
            meta=dict(epoch=1, iter=4, cfg=cfg.pretty_text),
            state_dict=model.state_dict(),
            optimizer=optimizer.state_dict(),
            param_schedulers=[dict(last_epoch=1)],
            message_hub=hub.state_dict()), str(path))
    return cfg, model


@pytest.mark.parametrize('config,target_prefix', list(ALGORITHMS.items()))
def test_extract_backbone_of_every_algorithm(config, target_prefix, tmp_path):
    path = tmp_path / 'epoch_1.pth'
    cfg, model = save_runner_like_checkpoint(config, path)
    online = model.backbone.state_dict()

    state_dict = checkpoint_state_dict(torch.load(path), str(path))
    backbone = extract_backbone(state_dict, source=str(path))
    assert list(backbone) == ['backbone.' + k for k in online]
    for key, value in online.items():
        assert torch.equal(backbone['backbone.' + key], value), key
    # the momentum copy is there, differs, and was not taken
    target = state_dict[target_prefix + 'conv1.weight']
    assert not torch.equal(target, backbone['backbone.conv1.weight'])

    # the written file loads with init_cfg=Pretrained, prefix='backbone.'
    out = tmp_path / 'backbone.pth'
    torch.save(dict(meta={}, state_dict=backbone), out)
    fresh = MODELS.build(
        dict(
            cfg.model.backbone,
            init_cfg=dict(
                type='Pretrained', checkpoint=str(out), prefix='backbone.')))
    fresh.init_weights()
    loaded = fresh.state_dict()
    assert loaded.keys() == online.keys()
    for key, value in online.items():
        assert torch.equal(loaded[key], value), key


def test_extract_backbone_strip_prefix_loads_without_prefix(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    cfg, model = save_runner_like_checkpoint(
        'cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py', path)
    bare = extract_backbone(
        checkpoint_state_dict(torch.load(path)), keep_prefix=False)
    out = tmp_path / 'bare.pth'
    torch.save(dict(state_dict=bare), out)
    fresh = MODELS.build(
        dict(
            cfg.model.backbone,
            init_cfg=dict(type='Pretrained', checkpoint=str(out))))
    fresh.init_weights()
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(fresh.state_dict()[key], value), key


def test_no_backbone_is_a_clear_error():
    tv = torchvision.models.resnet18().state_dict()
    with pytest.raises(ValueError) as e:
        extract_backbone(tv, source='resnet18-tv.pth')
    assert str(e.value) == (
        "resnet18-tv.pth has no 'backbone.' keys, so there is no backbone to "
        'extract; its top-level prefixes are: bn1, conv1, fc, layer1, '
        'layer2, layer3, layer4')
    bare = dict(w=torch.ones(1))
    assert extract_backbone(bare, prefix='') == bare
    assert checkpoint_state_dict(bare) is bare
    assert publish_checkpoint(bare) == dict(meta={}, state_dict=bare)
    with pytest.raises(
            ValueError,
            match=r"x\.pth is not a checkpoint.*"
            r"\['meta', 'optimizer'\]"):
        checkpoint_state_dict(dict(meta={}, optimizer={}), 'x.pth')


def randomized_resnet(depth, **kwargs):
    """mmpretrain's ResNet with random BN affine parameters (zero_init_residual
    would otherwise silence the residual branches) and BN statistics measured
    on random images (so that features stay of order 1), in eval mode."""
    torch.manual_seed(depth)
    model = ResNet(depth=depth, out_indices=(3, ), **kwargs)
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in bns:
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.normal_(0, 0.1)
            bn.reset_running_stats()
            bn.momentum = None  # cumulative average over the batches
        model.train()
        for _ in range(2):
            model(torch.randn(4, 3, 64, 64))
    model.eval()  # (mmpretrain's ResNet.train() returns None)
    assert all(bn.num_batches_tracked == 2 for bn in bns)
    return model


def photo(size=64):
    """scikit-image's cat photo, resized, ImageNet-normalised: 1x3xHxW."""
    img = torch.from_numpy(np.ascontiguousarray(skdata.chelsea())).float()
    img = img.permute(2, 0, 1)[None] / 255  # 1 x 3 x 300 x 451
    img = torch.nn.functional.interpolate(
        img, size=(size, size), mode='bilinear', align_corners=False)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    return (img - mean) / std


def torchvision_trunk(model):
    """torchvision ResNet up to (without) avgpool and fc."""
    return torch.nn.Sequential(*list(model.children())[:-2]).eval()


@pytest.mark.parametrize('depth', [18, 50])
def test_torchvision_loads_strict_and_gives_the_same_features(depth):
    mm = randomized_resnet(depth)
    converted = mmpretrain_to_torchvision(mm.state_dict(), num_classes=10)
    assert converted['fc.weight'].shape == (10, 512 if depth == 18 else 2048)
    tv = getattr(torchvision.models, f'resnet{depth}')(num_classes=10)
    result = tv.load_state_dict(converted, strict=True)
    assert result.missing_keys == [] and result.unexpected_keys == []

    x = photo()
    with torch.no_grad():
        expected = mm(x)[0]  # 1 x C x 2 x 2, last stage
        got = torchvision_trunk(tv)(x)
    assert got.shape == expected.shape == (1, 512 if depth == 18 else 2048, 2,
                                           2)
    assert expected.abs().max() > 0.1
    err = (got - expected).abs().max() / expected.abs().max()
    assert err < 1e-5, err


def test_feature_comparison_detects_a_wrong_mapping():
    # negative control of the test above: two same-shaped convs swapped
    mm = randomized_resnet(18)
    converted = mmpretrain_to_torchvision(mm.state_dict())
    converted['layer4.0.conv2.weight'], converted['layer4.1.conv1.weight'] = (
        converted['layer4.1.conv1.weight'], converted['layer4.0.conv2.weight'])
    tv = torchvision.models.resnet18()
    tv.load_state_dict(converted, strict=True)
    x = photo()
    with torch.no_grad():
        expected = mm(x)[0]
        got = torchvision_trunk(tv)(x)
    assert (got - expected).abs().max() / expected.abs().max() > 1e-2


def test_without_fc_only_fc_is_missing():
    converted = mmpretrain_to_torchvision(
        randomized_resnet(18).state_dict(), add_fc=False)
    result = torchvision.models.resnet18().load_state_dict(
        converted, strict=False)
    assert sorted(result.missing_keys) == ['fc.bias', 'fc.weight']
    assert result.unexpected_keys == []


@pytest.mark.parametrize('depth', [18, 34, 50, 101, 152])
def test_arch_detection_matches_torchvision_keys_and_shapes(depth):
    mm = ResNet(depth=depth)  # (cannot be built on the meta device)
    with torch.device('meta'):
        tv = getattr(torchvision.models, f'resnet{depth}')()
    assert resnet_arch(mm.state_dict()) == f'resnet{depth}'
    converted = mmpretrain_to_torchvision(mm.state_dict(), add_fc=False)
    reference = tv.state_dict()
    assert set(converted) == set(reference) - {'fc.weight', 'fc.bias'}
    for key, value in converted.items():
        assert value.shape == reference[key].shape, key


def test_layouts_without_torchvision_counterpart_are_refused():
    with pytest.raises(
            ValueError,
            match=r"v1c\.pth: key 'stem\.0\.conv\."
            r"weight' has no torchvision counterpart: the deep "
            'stem'):
        mmpretrain_to_torchvision(
            ResNetV1c(depth=18).state_dict(), source='v1c.pth')
    no_stem = {
        k: v
        for k, v in ResNetV1d(depth=50).state_dict().items()
        if not k.startswith('stem.')
    }
    with pytest.raises(
            ValueError,
            match=r"key 'layer2\.0\.downsample\.2\."
            r"weight' .*average-pool shortcut"):
        mmpretrain_to_torchvision(no_stem)
    with pytest.raises(
            ValueError,
            match=r"'backbone\.conv1\.weight'.*"
            'extract the backbone first'):
        mmpretrain_to_torchvision({
            'backbone.' + k: v
            for k, v in ResNet(depth=18).state_dict().items()
        })
    with pytest.raises(ValueError, match='no layer4.* keys'):
        mmpretrain_to_torchvision(
            ResNet(
                depth=18,
                num_stages=3,
                strides=(1, 2, 2),
                dilations=(1, 1, 1),
                out_indices=(2, )).state_dict())
    with pytest.raises(
            ValueError,
            match=r"key 'layer1\.0\.conv1\.weight' has "
            r'shape \(32, 64, 3, 3\), torchvision resnet18 has '
            r'\(64, 64, 3, 3\)'):
        mmpretrain_to_torchvision(
            ResNet(depth=18, base_channels=32).state_dict())
    r18 = ResNet(depth=18).state_dict()
    with pytest.raises(ValueError, match=r"'fc\.weight' .*a classifier key"):
        mmpretrain_to_torchvision(dict(r18, **{'fc.weight': torch.zeros(1)}))
    no_var = {k: v for k, v in r18.items() if k != 'layer3.1.bn2.running_var'}
    with pytest.raises(
            ValueError,
            match=r"r18\.pth looks like torchvision "
            r"resnet18 but lacks 1 of its keys: \['layer3\.1\."
            r"bn2\.running_var'\]"):
        mmpretrain_to_torchvision(no_var, source='r18.pth')
    one_block = {k: v for k, v in r18.items() if not k.startswith('layer1.1')}
    with pytest.raises(
            ValueError,
            match=r'BasicBlocks with \(1, 2, 2, 2\) '
            'blocks per stage has no torchvision counterpart'):
        mmpretrain_to_torchvision(one_block)


def test_publish_strips_training_state_and_hashes_the_file(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    _, model = save_runner_like_checkpoint(
        'mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py', path)
    published = publish_checkpoint(torch.load(path), str(path))
    assert set(published) == {'meta', 'state_dict'}
    final = save_published(published, str(tmp_path / 'mocov2_r18.pth'))
    name = osp.basename(final)
    assert name.startswith('mocov2_r18-') and name.endswith('.pth')
    with open(final, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    assert name == f'mocov2_r18-{digest[:8]}.pth'
    assert sha256sum(final) == digest
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(final).st_mode & 0o777 == 0o666 & ~umask
    loaded = torch.load(final)  # weights_only: no optimizer objects left
    assert set(loaded) == {'meta', 'state_dict'}
    assert loaded['meta']['iter'] == 4
    for key, value in model.state_dict().items():
        assert torch.equal(loaded['state_dict'][key], value), key
    assert sorted(osp.basename(p) for p in tmp_path.iterdir()) == sorted(
        ['epoch_1.pth', name])  # no temporary file left behind
