# DiLo (AAAI 2021) Table 2a ablation with its own learner (NPID, ResNet-50,
# ImageNet-1k): GS (geodesic) saliency, 57.8 linear top-1 (the paper's number;
# the main config, RBD-style, gives 59.3).
_base_ = './npid-dilo_resnet50_8xb32-steplr-200e_in1k.py'

train_pipeline = [
    _base_.train_pipeline[0],
    dict(
        type='LoadSaliencyMask',
        source=dict(kind='detector', method='geodesic')),
    *_base_.train_pipeline[2:]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
