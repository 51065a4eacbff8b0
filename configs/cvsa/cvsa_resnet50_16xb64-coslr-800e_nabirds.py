# BYOL + CVSA, second-stage only (CVSA Table 2) on NABirds, backgrounds
# from NABirds itself.
_base_ = './cvsa_resnet50_16xb64-coslr-800e_cub.py'

dataset = dict(type='NABirds', data_root='data/nabirds', split='train')
view_pipeline = [
    dict(
        _base_.view_pipeline[0],
        backgrounds=[dict(dataset=dataset, mode='replace_box')]),
    *_base_.view_pipeline[1:],
]
train_pipeline = [
    _base_.train_pipeline[0],
    dict(_base_.train_pipeline[1], transforms=[view_pipeline]),
    _base_.train_pipeline[2],
]
train_dataloader = dict(dataset=dict(**dataset, pipeline=train_pipeline))
