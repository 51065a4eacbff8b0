# BYOL + DiLo on CUB-200-2011: the "BYOL+DiLo" row of CVSA (AAAI 2022)
# Tables 2-5, i.e. the BYOL baseline of configs/byol with DiLo's
# copy-and-paste background augmentation (AAAI 2021, Sec. 5.2) first in each
# view pipeline. DiLo's final setting (Sec. 6.3): RBD saliency (here the
# RBD-style background-prior detector, binarised with Otsu's rule), random
# gray backgrounds, paste probability 0.5, no blending.
_base_ = [
    '../byol/byol_resnet50_16xb64-coslr-800e_cub.py',
    '../_base_/methods/dilo.py'
]

view_pipeline = [_base_.copy_paste, *_base_.view_pipeline]
train_pipeline = [
    dict(type='LoadImageFromFile'), _base_.load_saliency,
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
