# BYOL + DiLo on the synthetic CUB-format set: configs/byol's synthetic
# ResNet-18 BYOL (56 px views of 64 px images, batch 32, one CPU process)
# with DiLo's copy-and-paste first in each view, in DiLo's final setting:
# RBD-style saliency binarised with Otsu's rule, random gray backgrounds,
# probability 0.5, no blending.
_base_ = [
    '../byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
    '../_base_/methods/dilo.py'
]

view_pipeline = [_base_.copy_paste, *_base_.view_pipeline]
train_pipeline = [
    dict(type='LoadImageFromFile'), _base_.load_saliency,
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
