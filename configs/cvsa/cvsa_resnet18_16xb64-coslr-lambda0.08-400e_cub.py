# CVSA ResNet-18 ablation (Fig. 4a): SaliencySwap crop scale lambda = 0.08
# (patch area ~ U(0.08, 1) of the foreground box); else as the base.
_base_ = './cvsa_resnet18_16xb64-coslr-400e_cub.py'

view_pipeline = [
    dict(_base_.view_pipeline[0], crop_ratio_range=(0.08, 1.)),
    *_base_.view_pipeline[1:],
]
train_pipeline = [
    _base_.train_pipeline[0],
    dict(_base_.train_pipeline[1], transforms=[view_pipeline]),
    _base_.train_pipeline[2],
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
