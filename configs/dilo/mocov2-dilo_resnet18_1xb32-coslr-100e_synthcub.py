# MoCo v2 + DiLo on the synthetic CUB-format set: configs/mocov2's synthetic
# ResNet-18 MoCo v2 with DiLo's copy-and-paste first in each view (RBD-style
# saliency, gray backgrounds, probability 0.5, no blending).
_base_ = [
    '../mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py',
    '../_base_/methods/dilo.py'
]

view_pipeline = [_base_.copy_paste, *_base_.view_pipeline]
train_pipeline = [
    dict(type='LoadImageFromFile'), _base_.load_saliency,
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
