# Linear probe of ContrastiveCrop's small-set experiments (Peng et al.,
# "Crafting Better Contrastive Views for Siamese Representation Learning",
# CVPR 2022, arXiv 2202.03278, Table 1 and section 4.2) on CIFAR-10: a
# frozen CIFAR-stem ResNet-18 pre-trained by
# configs/contrastive_crop/*_resnet18_8xb64-coslr-500e_cifar10.py, 100 epochs,
# batch 512 (8 GPUs x 64), SGD momentum 0.9, no weight decay, lr 10 divided
# by 10 at epochs 60 and 80; training views RandomResizedCrop + flip at
# 32 px, test images as they are (the authors' linear configs).
_base_ = 'mmpretrain::_base_/default_runtime.py'

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='ResNet_CIFAR',
        depth=18,
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
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

# the in-memory CIFAR arrays are RGB; mean and std of the pre-training data
data_preprocessor = dict(
    num_classes=10,
    mean=[125.307, 122.961, 113.858],
    std=[51.587, 50.847, 51.255],
    to_rgb=False)

crop_size = 32
train_pipeline = [
    dict(type='RandomResizedCrop', scale=crop_size, backend='pillow'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='PackInputs')]
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='CIFAR10',
        data_root='data/cifar10/',
        split='train',
        download=False,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='CIFAR10',
        data_root='data/cifar10/',
        split='test',
        download=False,
        pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=10., momentum=0.9, weight_decay=0.))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[60, 80], gamma=0.1)
]
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=512)

default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=1))
randomness = dict(seed=0)
