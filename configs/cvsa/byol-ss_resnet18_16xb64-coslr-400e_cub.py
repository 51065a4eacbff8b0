# BYOL + SaliencySwap without the alignment loss ("BYOL+SS", CVSA Fig. 4a,
# Table 5): BYOL's model and loss, the SaliencySwap views of
# cvsa_resnet18_16xb64-coslr-400e_cub.py (masks are made but not used).
_base_ = [
    './byol_resnet18_16xb64-coslr-400e_cub.py',
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
