# DiLo Table 2d ablation on CUB with MoCo v2 (see README.md): Gaussian blending
# of the mask edge (sigma = 1% of the shorter side).
_base_ = './mocov2-dilo_resnet50_8xb16-coslr-100e_cub.py'

copy_paste = dict(_base_.copy_paste, blending='gaussian')
view_pipeline = [copy_paste, *_base_.view_pipeline[1:]]
train_pipeline = [
    _base_.train_pipeline[0], _base_.train_pipeline[1],
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    _base_.train_pipeline[3]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
