# BYOL + DiLo with ResNet-18 for 400 epochs on CUB, the setting of CVSA's
# ablations (Sec. 5.3, Table 5): CVSA's ResNet-18 BYOL baseline with DiLo's
# copy-and-paste first in each view (RBD-style saliency, gray backgrounds,
# probability 0.5, no blending).
_base_ = [
    '../cvsa/byol_resnet18_16xb64-coslr-400e_cub.py',
    '../_base_/methods/dilo.py'
]

view_pipeline = [_base_.copy_paste, *_base_.view_pipeline]
train_pipeline = [
    dict(type='LoadImageFromFile'), _base_.load_saliency,
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
