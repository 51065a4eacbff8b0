"""Every config in configs/ loads, builds its model and runs its train
pipeline on a real photo."""
import copy
import os.path as osp
import shutil

import numpy as np
import pytest
import torch
from config_files import CONFIGS, config_ids, load_config
from mmengine.registry import DefaultScope
from mmpretrain.models import BaseSelfSupervisor, ImageClassifier
from mmpretrain.registry import DATASETS, MODELS, TRANSFORMS
from tool_runs import REPO_ROOT

from mmfgssl.datasets import bind_train_set
from mmfgssl.datasets.train_set_source import DATA_ROOT
from mmfgssl.utils import METHODS, SUPERVISED, replace_sync_bn


def view_pipelines(pipeline):
    """The view pipelines of a train pipeline: those of its multi-view step
    (a step whose ``transforms`` is a list of pipelines), else the pipeline
    itself (one view per image)."""
    for t in pipeline:
        views = t.get('transforms')
        if isinstance(views, list) and views and isinstance(views[0], list):
            return views
    return [pipeline]


def crop_size(pipeline):
    """The output size of a view: the size the first cropping step of the
    first view pipeline gives (its ``scale`` or ``crop_size``)."""
    for t in view_pipelines(pipeline)[0]:
        for key in ('scale', 'crop_size'):
            if isinstance(t.get(key), int):
                return t[key]
    raise AssertionError('no crop in the pipeline')


def use_local_inputs(obj, data_root, img):
    """Point every input a pipeline config reads at the local set
    ``data_root`` (in CUB-200-2011's layout), whatever the method, by the
    config conventions:

    - a dataset config (a type the dataset registry knows; e.g. background
      sets) becomes ``CUBWithBoxes`` on ``data_root``, which has both the
      images and the boxes any background mode reads;
    - a folder given as a path (``root`` without ``'{data_root}'``, e.g. a
      background folder) becomes ``data_root/images``;
    - a file source whose folders follow the training set (``root`` and
      ``img_root`` with ``'{data_root}'``) gets the photo ``img`` under
      ``img_root`` and a mask of it under ``root``;
    - every optional step runs (each ``prob`` above 0 becomes 1), so that
      every source is read.

    Returns:
        str | None: The photo's path for a file source (the sample's
        ``img_path``), else None.
    """
    img_path = None
    if isinstance(obj, list):
        for item in obj:
            img_path = use_local_inputs(item, data_root, img) or img_path
        return img_path
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get('type'), str) and DATASETS.get(obj['type']):
        obj.clear()
        obj.update(type='CUBWithBoxes', data_root=data_root)
        return None
    datasets = obj.get('dataset')  # the sets a step reads: registered types
    for ds in datasets if isinstance(datasets, list) else [datasets]:
        assert not isinstance(ds, dict) or DATASETS.get(ds['type']), ds
    if isinstance(obj.get('prob'), float):
        assert 0 <= obj['prob'] <= 1, obj
        obj['prob'] = float(obj['prob'] > 0)  # a step set off stays off
    root, img_root = obj.get('root'), obj.get('img_root')
    if isinstance(root, str) and DATA_ROOT not in root:
        obj['root'] = osp.join(data_root, 'images')
    elif isinstance(root, str) and isinstance(img_root, str):
        import mmcv
        mask = np.zeros(img.shape[:2], np.uint8)
        mask[20:240, 140:330] = 255
        mask_dir = root.replace(DATA_ROOT, data_root)
        img_path = osp.join(
            img_root.replace(DATA_ROOT, data_root), 'photo.jpg')
        mmcv.imwrite(mask, osp.join(mask_dir, 'photo.png'))
        mmcv.imwrite(img, img_path)
    for value in obj.values():
        img_path = use_local_inputs(value, data_root, img) or img_path
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
    # a copy of the tiny set, which the file sources may add the photo to
    data_root = shutil.copytree(data_root, osp.join(tmp_dir, 'data'))
    img_path = use_local_inputs(pipeline, data_root, img)
    if img_path:
        results['img_path'] = img_path
    # 'train_set' backgrounds and '{data_root}' folders follow the local
    # set, as the training dataset would bind itself
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
