# MoCo v2 + ContrastiveCrop on the synthetic CUB-format set: ResNet-18 on a
# 2-core CPU. Differences from configs/mocov2/
# mocov2_resnet18_1xb32-coslr-100e_synthcub.py: ContrastiveCrop (alpha 0.6)
# instead of RandomResizedCrop in both views, and the hook that updates the
# boxes (k 0.1, warm-up 20 and every 20 of the 100 epochs, 64 px images).
_base_ = [
    '../mocov2/mocov2_resnet18_1xb32-coslr-100e_synthcub.py',
    '../_base_/methods/contrastive_crop.py'
]

view_pipeline = [
    dict(_base_.contrastive_crop, scale=56), *_base_.view_pipeline[1:]
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

custom_hooks = [dict(_base_.ccrop_hook, interval=20, img_size=64)]
