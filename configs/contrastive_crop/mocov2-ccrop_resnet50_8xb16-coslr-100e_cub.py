# MoCo v2 + ContrastiveCrop on CUB-200-2011 (LCR, CVPR 2023, Table 4:
# MoCo v2 + CCrop). Differences from configs/mocov2/
# mocov2_resnet50_8xb16-coslr-100e_cub.py: ContrastiveCrop instead of
# RandomResizedCrop in both views, with ContrastiveCrop's ImageNet recipe
# for 100 epochs (CVPR 2022, section 4.2; the authors' configs/IN1K):
# alpha 0.6, k 0.1, boxes from epoch 20 on, updated every 20 epochs.
_base_ = [
    '../mocov2/mocov2_resnet50_8xb16-coslr-100e_cub.py',
    '../_base_/methods/contrastive_crop.py'
]

view_pipeline = [_base_.contrastive_crop, *_base_.view_pipeline[1:]]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

custom_hooks = [dict(_base_.ccrop_hook, interval=20)]
