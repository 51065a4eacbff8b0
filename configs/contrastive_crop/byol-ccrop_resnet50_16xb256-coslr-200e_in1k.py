# BYOL + ContrastiveCrop on ImageNet-1K (ContrastiveCrop, CVPR 2022, reports
# BYOL on small sets only, Table 1; this applies its ImageNet recipe, "k 0.1,
# alpha 0.6 for 100 and 200 epochs", to mmpretrain's BYOL). Differences from
# mmpretrain's BYOL: ContrastiveCrop instead of RandomResizedCrop in both
# (asymmetric) views, boxes from epoch 20 on, updated every 10 epochs (the
# paper's section 4.2; the authors' public configs use 20).
_base_ = [
    'mmpretrain::byol/byol_resnet50_16xb256-coslr-200e_in1k.py',
    '../_base_/methods/contrastive_crop.py'
]

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

# mmpretrain's crop arguments here (bicubic, default ratio range)
contrastive_crop = dict(
    type='ContrastiveCrop',
    scale=224,
    interpolation='bicubic',
    backend='pillow',
    alpha=0.6)
view_pipeline1 = [contrastive_crop, *_base_.view_pipeline1[1:]]
view_pipeline2 = [contrastive_crop, *_base_.view_pipeline2[1:]]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='MultiView',
        num_views=[1, 1],
        transforms=[view_pipeline1, view_pipeline2]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    # mmpretrain:: bases inject `_scope_` into this dict, which
    # default_collate() does not accept: start it afresh.
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline=train_pipeline))

custom_hooks = [_base_.ccrop_hook]
