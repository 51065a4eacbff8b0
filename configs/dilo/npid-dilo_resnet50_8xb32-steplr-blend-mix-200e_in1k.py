# DiLo (AAAI 2021) Table 2d ablation with its own learner (NPID, ResNet-50,
# ImageNet-1k): mixed blending, 59.3 linear top-1 (the paper's number; the
# main config, no blending, gives 59.3).
_base_ = './npid-dilo_resnet50_8xb32-steplr-200e_in1k.py'

copy_paste = dict(_base_.copy_paste, blending='mix')
view_pipeline = [copy_paste, *_base_.view_pipeline[1:]]
train_pipeline = [
    _base_.train_pipeline[0], _base_.train_pipeline[1],
    dict(type='MultiView', num_views=1, transforms=[view_pipeline]),
    _base_.train_pipeline[3]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
