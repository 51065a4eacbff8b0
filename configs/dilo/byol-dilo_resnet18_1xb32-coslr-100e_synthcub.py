# BYOL + DiLo on the synthetic CUB-format set: configs/byol's synthetic
# ResNet-18 BYOL (56 px views of 64 px images, batch 32, one CPU process)
# with DiLo's copy-and-paste first in each view, in DiLo's final setting:
# RBD-style saliency binarised with Otsu's rule, random gray backgrounds,
# probability 0.5, no blending.
_base_ = '../byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'

copy_paste = dict(
    type='CopyPasteBackground',
    prob=0.5,
    background=dict(type='gray', level_range=(0, 255)),
    blending='none')
view_pipeline = [copy_paste, *_base_.view_pipeline]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='LoadSaliencyMask',
        source=dict(type='detector', method='background_prior')),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
