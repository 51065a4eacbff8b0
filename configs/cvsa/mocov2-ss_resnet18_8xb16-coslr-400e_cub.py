# MoCo v2 + SaliencySwap ("MoCo.v2 + SS", CVSA Fig. 4a): the views of
# SaliencySwap (lambda 0.5, CUB backgrounds, ground-truth boxes) instead of
# RandomResizedCrop, everything else as mocov2_resnet18_8xb16-coslr-400e_cub.
_base_ = [
    './mocov2_resnet18_8xb16-coslr-400e_cub.py',
    '../_base_/methods/saliency_swap.py'
]

view_pipeline = [
    _base_.saliency_swap,
    *_base_.view_pipeline[1:],
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
