# BYOL + DiLo on ImageNet-1k: mmpretrain's BYOL recipe (its two asymmetric
# view pipelines) with DiLo's copy-and-paste first in each view, in DiLo's
# final setting (AAAI 2021, Sec. 6.3): RBD-style saliency, random gray
# backgrounds, probability 0.5, no blending. On ImageNet the detector on the
# fly costs data-loader time: precompute the masks (configs/dilo/README.md)
# and switch the source to kind='mask_file'.
_base_ = 'mmpretrain::byol/byol_resnet50_16xb256-coslr-200e_in1k.py'

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

copy_paste = dict(
    type='CopyPasteBackground',
    prob=0.5,
    background=dict(type='gray', level_range=(0, 255)),
    blending='none')
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='LoadSaliencyMask',
        source=dict(kind='detector', method='background_prior')),
    dict(
        type='MultiView',
        num_views=[1, 1],
        transforms=[[copy_paste, *_base_.view_pipeline1],
                    [copy_paste, *_base_.view_pipeline2]]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    # mmpretrain:: bases inject `_scope_` into this dict, which
    # default_collate() does not accept: start it afresh.
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline=train_pipeline))
