# BYOL on the synthetic background-shortcut set (tools/dataset_converters/
# make_synthetic_cub.py --background photo, 64 px): the CPU localisation
# regime. Differences from the CUB config: a narrow ResNet-18 with the CIFAR
# stem (3x3 stride-1 conv, no max-pool; widths 16-128), so 56 px views keep
# a 7 x 7 last stage; BN, smaller MLPs, batch 32 on one process, 100 epochs.
_base_ = './byol_resnet50_16xb64-coslr-800e_cub.py'

model = dict(
    base_momentum=0.01,  # EMA 0.99 and weight decay 1e-6, as measured
    backbone=dict(
        type='ResNet_CIFAR',
        depth=18,
        stem_channels=16,
        base_channels=16,
        norm_cfg=dict(type='BN')),
    neck=dict(in_channels=128, hid_channels=512, norm_cfg=dict(type='BN1d')),
    head=dict(predictor=dict(hid_channels=512, norm_cfg=dict(type='BN1d'))))

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

# base lr 0.6 (CVSA A.2) scaled to the batch of 32
optim_wrapper = dict(optimizer=dict(lr=0.075, weight_decay=1e-6))
# the schedule of byol_resnet50_16xb64-coslr-800e_cub.py (10 warm-up
# epochs, then cosine), shortened
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], T_max=90, end=100)
]
train_cfg = dict(max_epochs=100)
default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(interval=25, max_keep_ckpts=1))
auto_scale_lr = dict(base_batch_size=32)
randomness = dict(seed=0)
