# CVSA on CUB with in-batch backgrounds: the background of each view is one
# of the last 64 foreground images of its data-loader worker, i.e. an image
# of the same batch (64 per GPU), kept decoded: no extra image decode per
# view. Difference from cvsa_resnet50_16xb64-coslr-800e_cub.py: the
# background source of SaliencySwap (mode I, boxes as in the foreground).
_base_ = './cvsa_resnet50_16xb64-coslr-800e_cub.py'

view_pipeline = [
    dict(
        _base_.view_pipeline[0],
        backgrounds=[dict(recent=64, mode='replace_box')]),
    *_base_.view_pipeline[1:],
]
train_pipeline = [
    _base_.train_pipeline[0],
    dict(_base_.train_pipeline[1], transforms=[view_pipeline]),
    _base_.train_pipeline[2],
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
