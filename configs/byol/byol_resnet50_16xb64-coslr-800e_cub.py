# BYOL, the baseline of CVSA (AAAI 2022) Tables 2-5, on CUB-200-2011.
# Differences from mmpretrain's BYOL: CVSA A.2 settings (batch 16 x 64 = 1024,
# lr = 0.6 x 1024 / 256 with LARS, 800 epochs, "other training settings of
# BYOL": the BYOL paper's EMA 0.996 and weight decay 1.5e-6, where mmpretrain's
# recipe has 0.99 and 1e-6) and MoCo v2 augmentations, which CVSA uses for
# every method ("Data Augmentation", appendix A.2).
_base_ = 'mmpretrain::byol/byol_resnet50_16xb256-coslr-200e_in1k.py'

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

# target = 0.996 target + 0.004 online at the start (BYOL, Grill et al.)
model = dict(base_momentum=0.004)

view_pipeline = [
    dict(
        type='RandomResizedCrop',
        scale=224,
        crop_ratio_range=(0.2, 1.),
        backend='pillow'),
    dict(
        type='RandomApply',
        transforms=[
            dict(
                type='ColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.1)
        ],
        prob=0.8),
    dict(
        type='RandomGrayscale',
        prob=0.2,
        keep_channels=True,
        channel_weights=(0.114, 0.587, 0.2989)),
    dict(
        type='GaussianBlur',
        magnitude_range=(0.1, 2.0),
        magnitude_std='inf',
        prob=0.5),
    dict(type='RandomFlip', prob=0.5),
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    drop_last=True,
    # mmpretrain:: bases inject `_scope_` into this dict, which
    # default_collate() does not accept: start it afresh.
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(
        type='CUBWithBoxes',
        data_root='data/CUB_200_2011',
        split='train',
        pipeline=train_pipeline))

# base lr 0.6 (CVSA A.2) for the total batch of 1024
optim_wrapper = dict(optimizer=dict(lr=2.4, weight_decay=1.5e-6))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4,
        by_epoch=True,
        begin=0,
        end=10,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=790,
        by_epoch=True,
        begin=10,
        end=800,
        convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=800)
default_hooks = dict(
    logger=dict(interval=10), checkpoint=dict(interval=50, max_keep_ckpts=3))
auto_scale_lr = dict(base_batch_size=1024)
