# Copyright (c) OpenMMLab. All rights reserved.
"""The methods the benchmark compares, their configs and baselines, and its
targets and settings."""
import os.path as osp

from mmfgssl.utils.method_table import METHODS

REPO_ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

# (name, config, how the data source is set up)
PIPELINES = [
    ('RandomResizedCrop, two views (BYOL)',
     'configs/byol/byol_resnet50_16xb64-coslr-800e_cub.py', None),
    ('SaliencySwap mode I, in-set backgrounds (CVSA)',
     'configs/cvsa/cvsa_resnet50_16xb64-coslr-800e_cub.py', None),
    ('SaliencySwap mode I, in-batch backgrounds (CVSA, no extra decode)',
     'configs/cvsa/cvsa_resnet50_16xb64-coslr-800e_cub-bg-batch.py', None),
    ('SaliencySwap mode II, pasted on other images (CVSA)',
     'configs/cvsa/cvsa_resnet18_16xb64-coslr-400e_cub-bg-coco.py', None),
    ('ContrastiveCrop, boxes active',
     'configs/contrastive_crop/byol-ccrop_resnet50_16xb64-coslr-800e_cub.py',
     'ccrop'),
    ('DiLo copy-paste, masks precomputed by its detector',
     'configs/dilo/byol-dilo_resnet50_16xb64-coslr-800e_cub.py', 'mask_file'),
    ('DiLo copy-paste, saliency detector per image',
     'configs/dilo/byol-dilo_resnet50_16xb64-coslr-800e_cub.py', None),
]

# the throughput targets, as ratios to RandomResizedCrop
PIPELINE_TARGETS = {
    'SaliencySwap': 0.8,
    'ContrastiveCrop': 0.9,
    'DiLo copy-paste, masks precomputed': 0.9,
}

# (name, CPU config, GPU config, baseline name), from the method table
STEP_CONFIGS = [(m.name, m.synthetic_config, m.config, m.baseline)
                for m in METHODS if m.step_time]

STEP_TARGETS = {'BYOL + CVSA': 1.10, 'MoCo v2 + GFB': 1.05, 'BYOL + GFB': 1.05}

# (name, synthetic-set config, baseline name, target), from the method table
# (Method.quality_target says what each target means)
QUALITY_CONFIGS = [(m.name, m.synthetic_config, m.baseline, m.quality_target)
                   for m in METHODS if m.quality_target]

# the papers' schedules the update cost is projected to (hook settings and
# epochs are read from these configs)
CCROP_PAPER_CONFIGS = [
    'configs/contrastive_crop/mocov2-ccrop_resnet50_8xb32-coslr-100e_in1k.py',
    'configs/contrastive_crop/byol-ccrop_resnet50_16xb256-coslr-200e_in1k.py',
    'configs/contrastive_crop/byol-ccrop_resnet50_16xb64-coslr-800e_cub.py',
]

CCROP_TARGET = 0.03

# the background-shortcut set of the synthetic configs' regime
SHORTCUT_SET = dict(
    num_classes=10,
    train_per_class=40,
    test_per_class=30,
    img_size=64,
    background='photo',
    object_colour='class',
    object_scale=(0.35, 0.55))

# the ablations (section 'ablations'): CVSA's attention modes, whose
# 'scaled' default is the 'BYOL + CVSA' row of the quality section, and
# ContrastiveCrop's adaptive threshold
ABLATION_CONFIGS = [
    ('BYOL + SaliencySwap views only (no alignment)',
     'configs/cvsa/byol-ss_resnet18_1xb32-coslr-100e_synthcub.py', 'BYOL',
     'ablation'),
    ('BYOL + CVSA, dot product (Eq. 3)',
     'configs/cvsa/cvsa_resnet18_1xb32-coslr-dotattn-100e_synthcub.py', 'BYOL',
     'ablation'),
    ('BYOL + CVSA, cosine / 0.1',
     'configs/cvsa/cvsa_resnet18_1xb32-coslr-cosattn-100e_synthcub.py', 'BYOL',
     'ablation'),
    ('MoCo v2 + ContrastiveCrop, threshold above the mean',
     'configs/contrastive_crop/mocov2-ccrop_resnet18_1xb32-coslr-meanthr-100e_'
     'synthcub.py', 'MoCo v2', 'ablation'),
]

CCROP_CONFIG = dict(
    (n, p) for n, p, _, _ in QUALITY_CONFIGS)['MoCo v2 + ContrastiveCrop']

SECTIONS = ('pipelines', 'steps', 'quality', 'ccrop', 'ablations')

FULL = dict(
    pipeline_set=dict(num_classes=10, train_per_class=6, test_per_class=1),
    pipeline_images=24,
    pipeline_rounds=5,
    # 300 queries: one query is 0.33 points of rank-1
    quality_set=SHORTCUT_SET,
    step_batch_size=32,
    step_warmup=5,
    step_steps=30,
    quality_batch_size=None,  # the configs' 32
    eval_size=64,
    epochs=16,
    seeds=[0, 1, 2])

QUICK = dict(
    pipeline_set=dict(num_classes=2, train_per_class=3, test_per_class=1),
    pipeline_images=3,
    pipeline_rounds=2,
    quality_set=dict(
        SHORTCUT_SET, num_classes=4, train_per_class=4, test_per_class=2),
    step_batch_size=4,
    step_warmup=1,
    step_steps=2,
    quality_batch_size=4,
    eval_size=64,
    epochs=2,
    seeds=[0, 1])

# diagnostics key -> (metric in the targets table, target, test of the mean)
DIAGNOSTIC_TARGETS = {
    'loss_align, fall (%)':
    ('loss_align, fall (%)', '>= 50', lambda v: v >= 50),
    'ccrop_gt_iou, last update':
    ('ContrastiveCrop box IoU with the ground truth', '>= 0.5',
     lambda v: v >= 0.5),
    'ccrop_whole_image, last update':
    ('ContrastiveCrop whole-image boxes', '<= 0.2', lambda v: v <= 0.2),
}
