# Linear probe of a pre-trained ResNet-50 on CUB-200-2011 with the protocol
# of CVSA (AAAI 2022) appendix A.1: frozen backbone (BN in eval mode), a
# linear classifier on globally pooled features, SGD momentum 0.9, weight
# decay 0, cosine lr, batch 16, 50 epochs; the paper reports the best of
# lr {0.1, 0.01, 0.001}, chosen here on a validation split carved from train
# by tools/benchmarks/sweep.py. Give the checkpoint with
#   --cfg-options model.backbone.init_cfg.checkpoint=CKPT
# (any mmfgssl / mmpretrain self-supervised checkpoint: its "backbone." keys).
_base_ = 'mmpretrain::_base_/default_runtime.py'

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='ResNet',
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        style='pytorch',
        frozen_stages=4,
        norm_eval=True,
        norm_cfg=dict(type='BN'),
        init_cfg=dict(
            type='Pretrained',
            # the error "... can not be found" names the key to set
            checkpoint='<set model.backbone.init_cfg.checkpoint>',
            prefix='backbone.')),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=200,
        in_channels=2048,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

data_preprocessor = dict(
    num_classes=200,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224, backend='pillow'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short', backend='pillow'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
dataset_type = 'CUBWithBoxes'
data_root = 'data/CUB_200_2011'
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=50, by_epoch=True, begin=0, end=50)
]
train_cfg = dict(by_epoch=True, max_epochs=50, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=16)

default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=1))
randomness = dict(seed=0)
