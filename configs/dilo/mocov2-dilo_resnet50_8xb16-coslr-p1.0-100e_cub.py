# DiLo Table 2b ablation on CUB with MoCo v2 (see README.md): paste probability
# 1.0 (0.5 in the main config).
_base_ = './mocov2-dilo_resnet50_8xb16-coslr-100e_cub.py'

copy_paste = dict(_base_.copy_paste, prob=1.0)
view_pipeline = [copy_paste, *_base_.view_pipeline[1:]]
train_pipeline = [
    _base_.train_pipeline[0], _base_.train_pipeline[1],
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    _base_.train_pipeline[3]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
