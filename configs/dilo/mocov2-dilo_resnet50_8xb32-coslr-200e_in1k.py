# MoCo v2 + DiLo on ImageNet-1k, the setting closest to DiLo's Table 4
# ("Ours RBD (K = 65536)", R50, 200 epochs): mmpretrain's MoCo v2 recipe
# (queue 65536) in place of DiLo's instance discrimination with a memory
# bank, plus DiLo's copy-and-paste (RBD-style saliency, gray backgrounds,
# probability 0.5, no blending) first in the view pipeline. Precompute the
# masks for speed (configs/dilo/README.md).
_base_ = [
    'mmpretrain::mocov2/mocov2_resnet50_8xb32-coslr-200e_in1k.py',
    '../_base_/methods/dilo.py'
]

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

view_pipeline = [_base_.copy_paste, *_base_.view_pipeline]
train_pipeline = [
    dict(type='LoadImageFromFile'), _base_.load_saliency,
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    # mmpretrain:: bases inject `_scope_` into this dict, which
    # default_collate() does not accept: start it afresh.
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline=train_pipeline))
