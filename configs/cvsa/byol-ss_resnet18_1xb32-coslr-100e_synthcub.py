# BYOL + SaliencySwap without the alignment loss ("BYOL+SS", CVSA Fig. 4a,
# Table 5) on the synthetic background-shortcut set: BYOL's model and loss,
# the SaliencySwap views of cvsa_resnet18_1xb32-coslr-100e_synthcub.py
# (masks are made but not used). It separates what the views give from what
# the alignment loss gives.
_base_ = [
    '../byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
    '../_base_/methods/saliency_swap.py'
]

view_pipeline = [
    dict(_base_.saliency_swap, scale=56),
    *_base_.view_pipeline[1:],
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
