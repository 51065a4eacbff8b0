# BYOL + CVSA on the synthetic background-shortcut set (tools/
# dataset_converters/make_synthetic_cub.py): CIFAR-stem ResNet-18, 56 px
# views of 64 px images, batch 32 on one CPU process, 100 epochs, as the
# BYOL synthetic config it inherits.
# Differences from it: SaliencySwap views (lambda 0.5, backgrounds from the
# set itself, ground-truth boxes), each view's mask, and the dense branch on
# stage 4 (see cvsa_resnet50_16xb64-coslr-800e_cub.py).
_base_ = [
    '../byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
    '../_base_/methods/saliency_swap.py'
]

model = dict(
    type='CVSA',
    align_stages=(4, ),
    backbone=dict(out_indices=(3, )),
    dense_neck=dict(
        type='ConvNonLinearNeck',
        in_channels=[128],
        hid_channels=512,
        out_channels=256,
        norm_cfg=dict(type='BN')),
    align_head=dict(
        type='SaliencyAlignHead',
        predictor=dict(
            type='ConvNonLinearNeck',
            in_channels=[256],
            hid_channels=512,
            out_channels=256,
            norm_cfg=dict(type='BN')),
        loss=dict(type='SaliencyAlignLoss', loss_weight=4.0)))

view_pipeline = [
    dict(_base_.saliency_swap, scale=56),
    *_base_.view_pipeline[1:],  # MoCo v2 colour, blur and flip
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiViewWithMask', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs', algorithm_keys=['saliency_mask'])
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
