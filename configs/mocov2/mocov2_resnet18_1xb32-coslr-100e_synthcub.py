# MoCo v2 on the synthetic background-shortcut set (64 px images): the CPU
# localisation regime of configs/byol's synthetic config. Differences from
# the CUB config: the narrow CIFAR-stem ResNet-18 (7 x 7 last stage at
# 56 px), 56 px crops of the 64 px images,
# batch 32 on one process, a queue of 1024 keys (the set has a few hundred
# images), lr 0.03 x 32 / 128.
_base_ = './mocov2_resnet50_8xb16-coslr-100e_cub.py'

model = dict(
    queue_len=1024,
    backbone=dict(
        type='ResNet_CIFAR',
        depth=18,
        stem_channels=16,
        base_channels=16,
        norm_cfg=dict(type='BN')),
    neck=dict(in_channels=128, hid_channels=512))

# the inherited MoCo v2 view pipeline, with 56 px crops
view_pipeline = [
    dict(
        type='RandomResizedCrop',
        scale=56,
        crop_ratio_range=(0.2, 1.),
        backend='pillow'),
    *_base_.view_pipeline[1:],
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(data_root='data/synthetic_cub_bg', pipeline=train_pipeline))

optim_wrapper = dict(optimizer=dict(lr=0.0075))
default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(interval=25, max_keep_ckpts=1))
auto_scale_lr = dict(base_batch_size=32)
randomness = dict(seed=0)
