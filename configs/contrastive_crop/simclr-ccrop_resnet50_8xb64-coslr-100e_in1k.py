# SimCLR + ContrastiveCrop on ImageNet-1K (ContrastiveCrop, CVPR 2022,
# Table 2, SimCLR row, C-Crop column). Differences from mmpretrain's SimCLR:
# the paper's reproduction (section 4.2): batch 512 (8 x 64), SGD with
# momentum 0.9, weight decay 1e-4, cosine-annealed lr 0.05, 100 epochs; and
# ContrastiveCrop (alpha 0.6) instead of RandomResizedCrop in both views,
# boxes from epoch 20 on (k 0.1), updated every 10 epochs (section 4.2; the
# authors' public configs use 20).
_base_ = [
    'mmpretrain::simclr/simclr_resnet50_8xb32-coslr-200e_in1k.py',
    '../_base_/methods/contrastive_crop.py'
]

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

view_pipeline = [
    dict(type='ContrastiveCrop', scale=224, backend='pillow', alpha=0.6),
    *_base_.view_pipeline[1:]
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=64,
    # mmpretrain:: bases inject `_scope_` into this dict, which
    # default_collate() does not accept: start it afresh.
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline=train_pipeline))

optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=100, by_epoch=True, begin=0, end=100)
]
train_cfg = dict(max_epochs=100)
auto_scale_lr = dict(base_batch_size=512)

custom_hooks = [_base_.ccrop_hook]
