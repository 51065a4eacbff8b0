"""Detection transfer (configs/benchmarks/mmdetection) from a checkpoint that
a pre-training run of this session saved: every detection config trains 2
iterations and evaluates once through tools/benchmarks/mmdetection/train.py
on a tiny VOC-format / COCO-format set written here, and the detector starts
from the checkpoint's backbone tensors (backbone and C4 shared head)."""
import glob
import importlib.util
import json
import os
import os.path as osp
import pickle
import sys
import xml.etree.ElementTree as ET

import cv2
import mmcv
import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from tool_runs import free_port, run

import mmfgssl  # noqa: F401  (allow-lists checkpoint globals)
from mmfgssl.utils import (DETECTION_SETUP, detection_stack_problems,
                           replace_sync_bn)

if detection_stack_problems():
    pytest.skip(
        'detection transfer needs the detection stack (' +
        '; '.join(detection_stack_problems()) + f'): {DETECTION_SETUP}',
        allow_module_level=True)

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DET = 'configs/benchmarks/mmdetection'
VOC0712 = f'{DET}/voc0712/faster-rcnn_r50-c4_ms-24k_voc0712.py'
VOC07 = f'{DET}/voc07/faster-rcnn_r50-c4_ms-9k_voc07.py'
COCO_C4 = f'{DET}/coco/mask-rcnn_r50-c4_ms-1x_coco.py'
COCO_FPN = f'{DET}/coco/mask-rcnn_r50-fpn_ms-1x_coco.py'
LAUNCHER = 'tools/benchmarks/mmdetection/train.py'

# (name in the real class list, COCO category id, shape)
CLASSES = [('bird', 16, 'ellipse'), ('car', 3, 'rectangle'),
           ('dog', 18, 'ellipse')]
# COCO's 80 category ids (1..90 with gaps), in the order of its class names
COCO_IDS = [
    i for i in range(1, 91)
    if i not in (12, 26, 29, 30, 45, 66, 68, 69, 71, 83)
]


def textured_background(rng, h, w):
    """Stripes of a random frequency and direction plus noise, uint8 BGR."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, np.pi)
    freq = rng.uniform(0.1, 0.4)
    stripes = np.sin(freq * (np.cos(angle) * xx + np.sin(angle) * yy))
    base = rng.uniform(60, 190, size=3)
    img = base + 40 * stripes[..., None] + rng.normal(0, 12, (h, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def shape_polygon(kind, x0, y0, x1, y1):
    """The outline of a rectangle or an ellipse inscribed in the box, as a
    flat [x, y, ...] list (COCO's polygon format)."""
    if kind == 'rectangle':
        pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    else:
        cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 -
                                                                       y0) / 2
        t = np.linspace(0, 2 * np.pi, 24, endpoint=False)
        pts = list(zip(cx + rx * np.cos(t), cy + ry * np.sin(t)))
    return [float(round(v, 2)) for p in pts for v in p]


def draw_image(rng, size):
    """One image with 1-2 shapes; returns it and its objects as (class
    index, (x0, y0, x1, y1) in pixels, exclusive end, polygon)."""
    h, w = size
    img = textured_background(rng, h, w)
    objects = []
    n = rng.integers(1, 3)
    for i in range(n):
        cls = int(rng.integers(len(CLASSES)))
        bw, bh = rng.integers(w // 3, w // 2), rng.integers(h // 3, h // 2)
        # left and right halves: the shapes do not overlap
        x0 = int(rng.integers(i * w // 2, (i + 1) * w // 2 - bw + 1))
        y0 = int(rng.integers(0, h - bh + 1))
        x1, y1 = x0 + int(bw), y0 + int(bh)
        poly = shape_polygon(CLASSES[cls][2], x0, y0, x1 - 1, y1 - 1)
        color = [int(c) for c in rng.integers(0, 256, 3)]
        pts = np.round(np.array(poly).reshape(-1, 2)).astype(np.int32)
        cv2.fillPoly(img, [pts], color)
        objects.append((cls, (x0, y0, x1, y1), poly))
    return img, objects


def write_voc_year(root, year, splits, rng):
    """VOCdevkit/VOC{year}: JPEGImages, Annotations (VOC xml, 1-based
    inclusive pixel boxes) and ImageSets/Main/{split}.txt."""
    sub = osp.join(root, f'VOC{year}')
    for d in ('JPEGImages', 'Annotations', 'ImageSets/Main'):
        os.makedirs(osp.join(sub, d), exist_ok=True)
    for split, num in splits.items():
        names = []
        for i in range(num):
            name = f'{year}_{split}_{i:03d}'
            size = (int(rng.integers(96, 129)), int(rng.integers(96, 129)))
            img, objects = draw_image(rng, size)
            mmcv.imwrite(img, osp.join(sub, 'JPEGImages', f'{name}.jpg'))
            ann = ET.Element('annotation')
            ET.SubElement(ann, 'filename').text = f'{name}.jpg'
            s = ET.SubElement(ann, 'size')
            for tag, v in zip(('width', 'height', 'depth'),
                              (size[1], size[0], 3)):
                ET.SubElement(s, tag).text = str(v)
            for cls, (x0, y0, x1, y1), _ in objects:
                obj = ET.SubElement(ann, 'object')
                ET.SubElement(obj, 'name').text = CLASSES[cls][0]
                ET.SubElement(obj, 'pose').text = 'Unspecified'
                ET.SubElement(obj, 'truncated').text = '0'
                ET.SubElement(obj, 'difficult').text = '0'
                box = ET.SubElement(obj, 'bndbox')
                for tag, v in zip(('xmin', 'ymin', 'xmax', 'ymax'),
                                  (x0 + 1, y0 + 1, x1, y1)):
                    ET.SubElement(box, tag).text = str(v)
            ET.ElementTree(ann).write(
                osp.join(sub, 'Annotations', f'{name}.xml'))
            names.append(name)
        with open(osp.join(sub, 'ImageSets', 'Main', f'{split}.txt'),
                  'w') as f:
            f.write('\n'.join(names) + '\n')


def write_coco_split(root, split, num, rng):
    """{split}2017/*.jpg and annotations/instances_{split}2017.json with
    polygon masks and xywh boxes."""
    img_dir = osp.join(root, f'{split}2017')
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    images, annotations = [], []
    for i in range(num):
        size = (int(rng.integers(96, 129)), int(rng.integers(96, 129)))
        img, objects = draw_image(rng, size)
        file_name = f'{split}_{i:03d}.jpg'
        mmcv.imwrite(img, osp.join(img_dir, file_name))
        images.append(
            dict(id=i + 1, file_name=file_name, height=size[0], width=size[1]))
        for cls, (x0, y0, x1, y1), poly in objects:
            annotations.append(
                dict(
                    id=len(annotations) + 1,
                    image_id=i + 1,
                    category_id=CLASSES[cls][1],
                    bbox=[x0, y0, x1 - x0, y1 - y0],
                    area=float((x1 - x0) * (y1 - y0)),
                    iscrowd=0,
                    segmentation=[poly]))
    # all 80 categories, as in the real file: the metric maps each of the
    # detector's 80 labels to a category id
    from mmdet.datasets import CocoDataset
    names = CocoDataset.METAINFO['classes']
    assert len(names) == len(COCO_IDS) == 80
    categories = [dict(id=i, name=n) for i, n in zip(COCO_IDS, names)]
    for name, cid, _ in CLASSES:
        assert dict(id=cid, name=name) in categories
    with open(
            osp.join(root, 'annotations', f'instances_{split}2017.json'),
            'w') as f:
        json.dump(
            dict(
                images=images, annotations=annotations, categories=categories),
            f)


@pytest.fixture(scope='module')
def tiny_voc(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('VOCdevkit'))
    rng = np.random.default_rng(0)
    write_voc_year(root, 2007, dict(trainval=4, test=2), rng)
    write_voc_year(root, 2012, dict(trainval=2), rng)
    return root


@pytest.fixture(scope='module')
def tiny_coco(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('coco'))
    rng = np.random.default_rng(1)
    write_coco_split(root, 'train', 4, rng)
    write_coco_split(root, 'val', 2, rng)
    return root


def shrink_options(config, data_root):
    """--cfg-options for 2 training iterations of batch 2 and one
    evaluation on the tiny sets, at about 128 px, with fewer RoIs."""
    small_train = '[(128,96),(128,112),(128,128)]'
    opts = [
        'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False',
        f'val_dataloader.dataset.data_root={data_root}',
        'val_dataloader.dataset.pipeline.1.scale=(128,128)',
        'default_hooks.logger.interval=1',
        # fewer RoIs per image in res5 / the heads, on a CPU
        'model.train_cfg.rpn_proposal.max_per_img=64',
        'model.train_cfg.rcnn.sampler.num=32',
        'model.test_cfg.rpn.max_per_img=32',
        # after 2 iterations no class score reaches the default 0.05: keep
        # every box, so that the metric has detections to score
        'model.test_cfg.rcnn.score_thr=0.0'
    ]
    if config == VOC0712:
        for i in (0, 1):
            opts += [
                f'train_dataloader.dataset.datasets.{i}.data_root={data_root}',
                f'train_dataloader.dataset.datasets.{i}.pipeline.2.scales='
                f'{small_train}'
            ]
    else:
        opts += [
            f'train_dataloader.dataset.data_root={data_root}',
            f'train_dataloader.dataset.pipeline.2.scales={small_train}'
        ]
    if config in (VOC0712, VOC07):
        opts += ['train_cfg.max_iters=2', 'train_cfg.val_interval=2']
    else:  # 4 images of batch 2: one epoch is 2 iterations
        opts += [
            'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
            f'val_evaluator.ann_file={data_root}/annotations/'
            'instances_val2017.json'
        ]
    return opts


def load_launcher():
    spec = importlib.util.spec_from_file_location(
        'mmdet_transfer_train', osp.join(REPO_ROOT, LAUNCHER))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def checkpoint_backbone(path):
    state = torch.load(path, map_location='cpu')['state_dict']
    return {
        k[len('backbone.'):]: v
        for k, v in state.items() if k.startswith('backbone.')
    }


def read_scalars(work_dir):
    rows = []
    for path in glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')):
        with open(path) as f:
            rows += [json.loads(line) for line in f]
    return rows


CASES = [
    (VOC0712, 'voc', ['pascal_voc/mAP', 'pascal_voc/AP50',
                      'pascal_voc/AP75'], 'iter_2.pth'),
    (VOC07, 'voc', ['pascal_voc/mAP', 'pascal_voc/AP50',
                    'pascal_voc/AP75'], 'iter_2.pth'),
    (COCO_C4, 'coco', ['coco/bbox_mAP', 'coco/segm_mAP'], 'epoch_1.pth'),
    (COCO_FPN, 'coco', ['coco/bbox_mAP', 'coco/segm_mAP'], 'epoch_1.pth'),
]


@pytest.mark.parametrize(
    'config,data,metrics,saved',
    CASES,
    ids=[osp.basename(c[0])[:-3] for c in CASES])
def test_detection_transfer(config, data, metrics, saved, tiny_voc, tiny_coco,
                            byol_r50_synthcub_checkpoint, tmp_path):
    ckpt = byol_r50_synthcub_checkpoint
    data_root = tiny_voc if data == 'voc' else tiny_coco
    options = ['--cfg-options', *shrink_options(config, data_root)]
    pretrained = checkpoint_backbone(ckpt)

    # 1. the detector as the launcher builds and initialises it
    launcher = load_launcher()
    cfg = launcher.build_cfg(launcher.parse_args([config, ckpt, *options]))
    assert cfg.default_scope == 'mmdet'
    replace_sync_bn(cfg.model)  # what adapt_cfg_to_cpu does here
    from mmdet.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmdet'):
        model = MODELS.build(cfg.model)
    model.init_weights()

    backbone = model.backbone.state_dict()
    used = set(backbone)
    for key, value in backbone.items():
        assert torch.equal(value, pretrained[key]), key
    c4 = config != COCO_FPN
    if c4:
        # res2-res4 in the backbone, res5 in the shared head
        assert not any(k.startswith('layer4.') for k in backbone)
        head = model.roi_head.shared_head
        head_state = head.state_dict()
        layer4 = {
            k: v
            for k, v in head_state.items() if k.startswith('layer4.')
        }
        assert len(layer4) > 0
        for key, value in layer4.items():
            assert torch.equal(value, pretrained[key]), key
        used |= set(layer4)
        # the extra norm after res5: not in the checkpoint, a fresh BN
        assert set(head_state) - set(layer4) == {
            'norm.weight', 'norm.bias', 'norm.running_mean',
            'norm.running_var', 'norm.num_batches_tracked'
        }
        assert isinstance(head.norm, torch.nn.BatchNorm2d)
        assert head.norm.num_features == 2048
        assert torch.equal(head.norm.weight, torch.ones(2048))
        assert torch.equal(head.norm.bias, torch.zeros(2048))
        assert head.norm_eval is False
    # every tensor of the pre-trained backbone went into the detector
    assert used == set(pretrained)
    assert model.backbone.norm_eval is False
    assert model.backbone.frozen_stages == -1
    del model

    # 2. the launcher trains 2 iterations and evaluates once
    work_dir = str(tmp_path / 'work')
    log = run([
        sys.executable, LAUNCHER, config, ckpt, '--work-dir', work_dir,
        *options
    ])
    assert 'SyncBN norm configs are built as BN' in log
    rows = read_scalars(work_dir)
    assert [r['iter'] for r in rows if 'loss' in r] == [1, 2]
    for r in rows:
        if 'loss' in r:
            assert np.isfinite(r['loss'])
            assert 'loss_rpn_cls' in r and 'loss_bbox' in r
            if config in (COCO_C4, COCO_FPN):
                assert 'loss_mask' in r
    evals = [r for r in rows if metrics[0] in r]
    assert len(evals) == 1
    for key in metrics:
        assert 0. <= evals[0][key] <= 1., (key, evals[0][key])

    # all stages were trained: the stem and the stage-1 BN moved (weights
    # by the optimizer, running statistics in train mode)
    state = torch.load(osp.join(work_dir, saved), map_location='cpu')
    trained = state['state_dict']
    for key in ('conv1.weight', 'bn1.weight', 'bn1.running_mean',
                'layer1.0.conv1.weight'):
        assert not torch.equal(trained[f'backbone.{key}'], pretrained[key])
    if c4:
        assert not torch.equal(
            trained['roi_head.shared_head.layer4.0.conv1.weight'],
            pretrained['layer4.0.conv1.weight'])


def test_dist_train_and_test_scripts_two_cpu_processes(
        tiny_voc, byol_r50_synthcub_checkpoint, tmp_path):
    """dist_train.sh CONFIG CHECKPOINT 2 on two gloo CPU processes (batch 1
    each), then dist_test.sh on the saved detector."""
    work_dir = str(tmp_path / 'work')
    options = shrink_options(VOC07,
                             tiny_voc) + ['train_dataloader.batch_size=1']
    log = run([
        'bash', 'tools/benchmarks/mmdetection/dist_train.sh', VOC07,
        byol_r50_synthcub_checkpoint, '2', '--work-dir', work_dir,
        '--cfg-options', *options
    ],
              PORT=str(free_port()))
    assert 'distributed on CPU with gloo, world size 2' in log
    rows = read_scalars(work_dir)
    assert [r['iter'] for r in rows if 'loss' in r] == [1, 2]
    assert len([r for r in rows if 'pascal_voc/mAP' in r]) == 1

    out = str(tmp_path / 'metrics.pkl')
    run([
        'bash', 'tools/benchmarks/mmdetection/dist_test.sh', VOC07,
        osp.join(work_dir, 'iter_2.pth'), '1', '--work-dir',
        str(tmp_path / 'test'), '--out', out, '--cfg-options',
        f'test_dataloader.dataset.data_root={tiny_voc}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        'test_dataloader.dataset.pipeline.1.scale=(128,128)',
        'model.test_cfg.rpn.max_per_img=32',
        'model.test_cfg.rcnn.score_thr=0.0'
    ],
        PORT=str(free_port()))
    with open(out, 'rb') as f:
        metrics = pickle.load(f)
    assert {'pascal_voc/mAP', 'pascal_voc/AP50',
            'pascal_voc/AP75'} <= set(metrics)
    for key in ('pascal_voc/mAP', 'pascal_voc/AP50', 'pascal_voc/AP75'):
        assert 0. <= metrics[key] <= 1., (key, metrics[key])


def test_launcher_rejects_a_checkpoint_without_backbone_keys(tmp_path):
    launcher = load_launcher()
    missing = str(tmp_path / 'missing.pth')
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        launcher.main([VOC07, missing])
    # a checkpoint of the backbone alone (keys without "backbone.")
    bare = str(tmp_path / 'bare.pth')
    torch.save({'state_dict': {
        'conv1.weight': torch.zeros(64, 3, 7, 7)
    }}, bare)
    with pytest.raises(KeyError, match=r'bare\.pth.*--prefix'):
        launcher.main([VOC07, bare])
    # with --prefix '' the same file is accepted and injected as it is
    cfg = launcher.build_cfg(
        launcher.parse_args([VOC07, bare, '--prefix', '']))
    for init_cfg in (cfg.model.backbone.init_cfg,
                     cfg.model.roi_head.shared_head.init_cfg):
        assert init_cfg == dict(type='Pretrained', checkpoint=bare)
