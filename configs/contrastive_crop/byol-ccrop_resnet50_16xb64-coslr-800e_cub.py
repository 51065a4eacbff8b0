# BYOL + ContrastiveCrop on CUB-200-2011. Differences from configs/byol/
# byol_resnet50_16xb64-coslr-800e_cub.py: ContrastiveCrop (alpha 0.6, k 0.1)
# instead of RandomResizedCrop in both views. ContrastiveCrop's papers give
# no BYOL schedule for 800 epochs; as in its recipes (20 / 20 of 100 epochs
# on ImageNet, 100 / 100 of 500 on small sets), warm-up and interval are a
# fifth of the training: boxes from epoch 160 on, updated every 160 epochs.
_base_ = [
    '../byol/byol_resnet50_16xb64-coslr-800e_cub.py',
    '../_base_/methods/contrastive_crop.py'
]

view_pipeline = [_base_.contrastive_crop, *_base_.view_pipeline[1:]]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

custom_hooks = [dict(_base_.ccrop_hook, warmup_epochs=160, interval=160)]
