# NPID on the synthetic background-shortcut set (64 px images), the CPU
# localisation regime of the other synthetic configs: the narrow CIFAR-stem
# ResNet-18 (7 x 7 last stage at 56 px), 56 px views, batch 32 on one
# process, a memory of the set's 400 training images, 100 epochs divided by
# 10 at 60 and 80 (DiLo's 120 / 160 of 200, scaled), lr 0.03 x 32 / 256.
# Differences from npid_resnet50_8xb32-steplr-200e_in1k.py: those, and the
# synthetic set's data and preprocessing.
_base_ = './npid_resnet50_8xb32-steplr-200e_in1k.py'

model = dict(
    backbone=dict(
        _delete_=True,
        type='ResNet_CIFAR',
        depth=18,
        stem_channels=16,
        base_channels=16,
        norm_cfg=dict(type='BN')),
    neck=dict(in_channels=128),
    memory_bank=dict(length=400))

view_pipeline = [
    dict(_base_.view_pipeline[0], scale=56),
    *_base_.view_pipeline[1:],
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=1, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        _delete_=True,
        type='CUBWithBoxes',
        data_root='data/synthetic_cub_bg',
        split='train',
        pipeline=train_pipeline))

optim_wrapper = dict(optimizer=dict(lr=0.00375))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[60, 80], gamma=0.1)
]
train_cfg = dict(max_epochs=100)
default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(interval=25, max_keep_ckpts=1))
auto_scale_lr = dict(base_batch_size=32)
randomness = dict(seed=0)
