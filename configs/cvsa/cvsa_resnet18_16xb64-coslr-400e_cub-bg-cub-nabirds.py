# CVSA Table 5, BYOL+SS+Align with background images from CUB + NABirds (drawn
# uniformly from the union)
# instead of CUB itself. ResNet-18, 400 epochs, CUB foregrounds.
_base_ = './cvsa_resnet18_16xb64-coslr-400e_cub.py'

backgrounds = [
    dict(dataset='train_set', mode='replace_box'),
    dict(
        dataset=dict(type='NABirds', data_root='data/nabirds', split='train'),
        mode='replace_box')
]
view_pipeline = [
    dict(_base_.view_pipeline[0], backgrounds=backgrounds),
    *_base_.view_pipeline[1:],
]
train_pipeline = [
    _base_.train_pipeline[0],
    dict(_base_.train_pipeline[1], transforms=[view_pipeline]),
    _base_.train_pipeline[2],
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
