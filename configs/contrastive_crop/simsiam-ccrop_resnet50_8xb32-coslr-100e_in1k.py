# SimSiam + ContrastiveCrop on ImageNet-1K (ContrastiveCrop, CVPR 2022,
# Table 2, SimSiam row, C-Crop column: 100 epochs, batch 256, lr 0.05).
# Differences from mmpretrain's SimSiam 100e: ContrastiveCrop (alpha 0.6)
# instead of RandomResizedCrop in both views and the hook that updates the
# boxes (k 0.1, warm-up 20, every 10 epochs as section 4.2 says; the
# authors' public configs use 20).
_base_ = [
    'mmpretrain::simsiam/simsiam_resnet50_8xb32-coslr-100e_in1k.py',
    '../_base_/methods/contrastive_crop.py'
]

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

view_pipeline = [_base_.contrastive_crop, *_base_.view_pipeline[1:]]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    # mmpretrain:: bases inject `_scope_` into this dict, which
    # default_collate() does not accept: start it afresh.
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline=train_pipeline))

custom_hooks = [*_base_.custom_hooks, _base_.ccrop_hook]
