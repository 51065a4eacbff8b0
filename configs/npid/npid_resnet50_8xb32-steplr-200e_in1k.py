# Non-parametric instance discrimination (NPID: Wu et al., CVPR 2018,
# arXiv 1805.01978) on ImageNet-1k as DiLo (Zhao et al., "Distilling
# Localization for Self-Supervised Representation Learning", AAAI 2021,
# arXiv 2004.06638, section 6.1) trains its baseline: ResNet-50, 128-d
# L2-normalised embeddings, a memory bank of one row per image updated with
# momentum 0.5, 4096 negatives, temperature 0.07, softmax NCE; 200 epochs,
# batch 256, SGD lr 0.03 (momentum 0.9, weight decay 1e-4) divided by 10 at
# epochs 120 and 160; NPID's views (crop of scale 0.2-1, grayscale p 0.2,
# colour jitter 0.4 / 0.4 / 0.4 / 0.4, flip). DiLo Tables 2 and 3, baseline
# row: 56.5 linear top-1 (the paper's number).
_base_ = [
    'mmpretrain::_base_/datasets/imagenet_bs32_mocov2.py',
    'mmpretrain::_base_/default_runtime.py',
]

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

model = dict(
    type='NPID',
    neg_num=4096,
    backbone=dict(
        type='ResNet',
        depth=50,
        norm_cfg=dict(type='BN'),
        zero_init_residual=False),
    neck=dict(
        type='LinearNeck',
        in_channels=2048,
        out_channels=128,
        gap_dim=2,
        norm_cfg=None),
    head=dict(
        type='ContrastiveHead',
        loss=dict(type='CrossEntropyLoss'),
        temperature=0.07),
    # one row per training image of ImageNet-1k
    memory_bank=dict(
        type='MemoryBank', length=1281167, feat_dim=128, momentum=0.5))

view_pipeline = [
    dict(
        type='RandomResizedCrop',
        scale=224,
        crop_ratio_range=(0.2, 1.),
        backend='pillow'),
    dict(
        type='RandomGrayscale',
        prob=0.2,
        keep_channels=True,
        channel_weights=(0.114, 0.587, 0.2989)),
    dict(
        type='ColorJitter',
        brightness=0.4,
        contrast=0.4,
        saturation=0.4,
        hue=0.4),
    dict(type='RandomFlip', prob=0.5),
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=1, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    # mmpretrain:: bases inject `_scope_` into this dict, which
    # default_collate() does not accept: start it afresh.
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline=train_pipeline))

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.03, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[120, 160], gamma=0.1)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=200)
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))

auto_scale_lr = dict(base_batch_size=256)
