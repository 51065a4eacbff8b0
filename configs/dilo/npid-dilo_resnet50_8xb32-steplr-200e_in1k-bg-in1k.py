# DiLo (AAAI 2021) Table 2c ablation with its own learner (NPID, ResNet-50,
# ImageNet-1k): ImageNet backgrounds (the paper: crops without saliency
# response; here random cover crops of the training images), 59.2 linear top-1
# (the paper's number; the main config, gray, gives 59.3).
_base_ = './npid-dilo_resnet50_8xb32-steplr-200e_in1k.py'

copy_paste = dict(
    _base_.copy_paste, background=dict(type='dataset', dataset='train_set'))
view_pipeline = [copy_paste, *_base_.view_pipeline[1:]]
train_pipeline = [
    _base_.train_pipeline[0], _base_.train_pipeline[1],
    dict(type='MultiView', num_views=1, transforms=[view_pipeline]),
    _base_.train_pipeline[3]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

# mmpretrain's ImageNet does not bind itself to 'train_set' sources
custom_hooks = [dict(type='BindTrainSetHook')]
