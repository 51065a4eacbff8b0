# CVSA Table 5, BYOL+DiLo with background images from CUB itself (random cover
# crops, drawn uniformly from the union) instead of gray. ResNet-18, 400
# epochs, CUB foregrounds.
_base_ = './byol-dilo_resnet18_16xb64-coslr-400e_cub.py'

copy_paste = dict(
    _base_.copy_paste, background=dict(type='dataset', dataset=['train_set']))
view_pipeline = [copy_paste, *_base_.view_pipeline[1:]]
train_pipeline = [
    _base_.train_pipeline[0], _base_.train_pipeline[1],
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    _base_.train_pipeline[3]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
