"""Every config in configs/ loads, builds its model and runs its train
pipeline on a real photo."""
import copy
import os.path as osp

import numpy as np
import pytest
import torch
from config_files import CONFIGS, config_ids, load_config
from mmengine.registry import DefaultScope
from mmpretrain.models import BaseSelfSupervisor, ImageClassifier
from mmpretrain.registry import DATASETS, MODELS, TRANSFORMS
from tool_runs import REPO_ROOT

from mmfgssl.datasets import TRAIN_SET, bind_train_set
from mmfgssl.utils import METHODS, SUPERVISED, replace_sync_bn


def crop_size(pipeline):
    """The output size of the first cropping transform of a view pipeline."""
    for t in pipeline:
        if t['type'] in ('MultiView', 'MultiViewWithMask'):
            return crop_size(t['transforms'][0])
        if t['type'] in ('RandomResizedCrop', 'ContrastiveCrop',
                         'SaliencySwap'):
            return t['scale']
    raise AssertionError('no crop in the pipeline')


def use_local_backgrounds(pipeline, data_root):
    """Point SaliencySwap's background datasets, whose data is not here, to
    the tiny synthetic set (after checking their types are registered)."""
    found = 0
    for t in pipeline:
        if t['type'] in ('MultiView', 'MultiViewWithMask'):
            for view_pipeline in t['transforms']:
                found += use_local_backgrounds(view_pipeline, data_root)
        if t['type'] == 'SaliencySwap':
            for bg in t['backgrounds']:
                if 'recent' in bg:  # in-batch backgrounds: nothing to read
                    continue
                datasets = bg['dataset']
                if not isinstance(datasets, list):
                    datasets = [datasets]
                if datasets == [TRAIN_SET]:  # bound to the training set
                    continue
                for ds in datasets:
                    assert DATASETS.get(ds['type']) is not None
                if bg.get('mode', 'replace_box') == 'replace_box':
                    bg['dataset'] = dict(
                        type='CUBWithBoxes', data_root=data_root)
                else:
                    bg['dataset'] = dict(
                        type='UnlabeledImageFolder',
                        data_root=data_root,
                        data_prefix='images')
            found += 1
    return found


def use_local_dilo_inputs(pipeline, data_root, tmp_dir, img):
    """Point DiLo's background folders / datasets to the tiny synthetic set
    and its mask files to a mask of the test photo written under
    ``tmp_dir`` (after checking the types are valid); always paste.
    Returns the photo's img_path for a file mask source, else None."""
    img_path = None
    for t in pipeline:
        if t['type'] in ('MultiView', 'MultiViewWithMask'):
            for view_pipeline in t['transforms']:
                use_local_dilo_inputs(view_pipeline, data_root, tmp_dir, img)
        if t['type'] == 'CopyPasteBackground':
            bg = t.get('background', dict(type='gray'))
            assert bg['type'] in ('gray', 'folder', 'dataset')
            assert 0 < t['prob'] <= 1
            t['prob'] = 1.  # always paste: the background source runs
            if bg['type'] == 'folder':
                bg['root'] = osp.join(data_root, 'images')
            if bg['type'] == 'dataset':
                datasets = bg['dataset']
                if not isinstance(datasets, list):
                    datasets = [datasets]
                for ds in datasets:
                    assert ds == TRAIN_SET or DATASETS.get(
                        ds['type']) is not None
                bg['dataset'] = dict(
                    type='UnlabeledImageFolder',
                    data_root=data_root,
                    data_prefix='images')
        if t['type'] == 'LoadSaliencyMask' and t['source']['kind'] != \
                'detector':
            import mmcv
            mask = np.zeros(img.shape[:2], np.uint8)
            mask[20:240, 140:330] = 255
            mmcv.imwrite(mask, osp.join(tmp_dir, 'masks', 'photo.png'))
            t['source'].update(
                root=osp.join(tmp_dir, 'masks'),
                img_root=osp.join(tmp_dir, 'images'))
            img_path = osp.join(tmp_dir, 'images', 'photo.jpg')
    return img_path


def test_configs_found():
    names = {osp.basename(p) for p in CONFIGS}
    assert 'byol_resnet50_16xb64-coslr-800e_cub.py' in names
    assert 'mocov2_resnet18_1xb32-coslr-100e_synthcub.py' in names


@pytest.mark.parametrize('config', CONFIGS, ids=config_ids(CONFIGS))
def test_config_builds(config, tiny_synthetic_cub, tmp_path):
    cfg = load_config(config)
    assert 'mmfgssl' in cfg.custom_imports.imports
    # the _scope_ that mmpretrain:: bases inject must not reach collate_fn
    assert dict(
        cfg.train_dataloader.collate_fn) == dict(type='default_collate')

    # as the Runner does: build in the config's default scope
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        check_model_and_pipeline(cfg, tiny_synthetic_cub, str(tmp_path))


def check_model_and_pipeline(cfg, data_root, tmp_dir):
    """Build the model and run the train pipeline on a real photo."""
    from skimage.data import chelsea
    model_cfg = copy.deepcopy(cfg.model)
    replace_sync_bn(model_cfg)
    model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    model = MODELS.build(model_cfg)
    # pre-training configs build a self-supervisor; benchmark configs
    # (configs/benchmarks) a classifier that loads a pre-trained backbone,
    # except the supervised ceiling, trained from random initialisation
    assert isinstance(model, (BaseSelfSupervisor, ImageClassifier))
    classifier = isinstance(model, ImageClassifier)
    if classifier and '/supervised/' in cfg.filename:
        assert cfg.model.backbone.init_cfg is None
        assert cfg.model.backbone.frozen_stages == -1
    elif classifier:
        init_cfg = cfg.model.backbone.init_cfg
        assert init_cfg.type == 'Pretrained'
        assert init_cfg.prefix == 'backbone.'

    img = np.ascontiguousarray(chelsea()[..., ::-1])  # BGR, 300 x 451
    results = dict(
        img=img,
        img_shape=img.shape[:2],
        ori_shape=img.shape[:2],
        gt_label=0,
        gt_bboxes=np.array([[140., 20., 330., 240.]], dtype=np.float32))
    dataset_cfg = cfg.train_dataloader.dataset
    while 'pipeline' not in dataset_cfg:  # dataset wrappers
        dataset_cfg = dataset_cfg.dataset
    pipeline = dataset_cfg.pipeline
    use_local_backgrounds(pipeline, data_root)
    img_path = use_local_dilo_inputs(pipeline, data_root, tmp_dir, img)
    if img_path:
        results['img_path'] = img_path
    # 'train_set' backgrounds draw from the local set, as the training
    # dataset would bind itself
    train_set = DATASETS.build(
        dict(type='CUBWithBoxes', data_root=data_root, split='train'))
    for t in pipeline:  # the image is loaded (in-memory sets have no
        if t['type'] != 'LoadImageFromFile':  # loading transform)
            transform = TRANSFORMS.build(t)
            bind_train_set([transform], train_set)
            results = transform(results)
    size = crop_size(pipeline)
    views = results['inputs']
    if classifier:  # one image per sample
        views = [views]
    else:  # NPID discriminates one view per image, the others pair two
        assert len(views) == (1 if model_cfg.type == 'NPID' else 2)
    for view in views:
        assert tuple(view.shape) == (3, size, size)
        assert view.dtype == torch.uint8
    # the views' saliency masks reach the model when it needs them
    if model_cfg.type == 'CVSA':
        masks = results['data_samples'].get(model.mask_key)
        assert [m.shape for m in masks] == [(size, size)] * 2


SYNTH_PRETRAIN = [
    p for p in CONFIGS if p.endswith('_synthcub.py') and osp.sep +
    'benchmarks' + osp.sep not in p and 'retrieval' not in p
]


def test_synthetic_regime_configs_found():
    # every self-supervised method of the method table is parametrised below
    for method in METHODS:
        if method.name != SUPERVISED:
            assert osp.join(REPO_ROOT,
                            method.synthetic_config) in SYNTH_PRETRAIN


@pytest.mark.parametrize(
    'config',
    SYNTH_PRETRAIN + [
        osp.join(REPO_ROOT, 'configs', 'benchmarks', 'supervised',
                 'supervised_resnet18-cifar_1xb32-coslr-100e_synthcub.py')
    ],
    ids=osp.basename)
def test_synthetic_configs_keep_a_7x7_last_stage(config):
    # the CPU localisation regime: every synthetic config (and the
    # supervised ceiling) has the CIFAR-stem ResNet-18 whose last stage is
    # at least 7 x 7 at the training view size, on the shortcut set
    cfg = load_config(config)
    assert cfg.model.backbone.type == 'ResNet_CIFAR'
    assert cfg.train_dataloader.dataset.data_root == 'data/synthetic_cub_bg'
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        backbone = MODELS.build(copy.deepcopy(cfg.model.backbone))
    size = crop_size(cfg.train_dataloader.dataset.pipeline)
    with torch.no_grad():
        out = backbone(torch.zeros(1, 3, size, size))[-1]
    assert out.shape[-2:] == (7, 7), (size, out.shape)
