# BYOL + CVSA, second-stage only (CVSA, AAAI 2022, Table 2) on CUB-200-2011.
# Differences from the BYOL baseline config: SaliencySwap views (lambda 0.5,
# backgrounds from CUB itself with their boxes replaced, ground-truth boxes;
# Sec. 4.1, A.2) instead of RandomResizedCrop, each view's saliency mask, and
# the dense branch (conv projector / predictor, alignment on stage 4; Sec.
# 4.2). loss_cont is mmpretrain's BYOL loss, 2 (-cos - cos) = 4 x the
# paper's Eq. 6, so loss_weight=4 keeps Eq. 7's L = L_cont + L_align.
_base_ = [
    '../byol/byol_resnet50_16xb64-coslr-800e_cub.py',
    '../_base_/methods/saliency_swap.py'
]

model = dict(
    type='CVSA',
    align_stages=(4, ),
    backbone=dict(out_indices=(3, )),
    dense_neck=dict(
        type='ConvNonLinearNeck',
        in_channels=[2048],
        hid_channels=4096,
        out_channels=256,
        norm_cfg=dict(type='SyncBN')),
    align_head=dict(
        type='SaliencyAlignHead',
        predictor=dict(
            type='ConvNonLinearNeck',
            in_channels=[256],
            hid_channels=4096,
            out_channels=256,
            norm_cfg=dict(type='SyncBN')),
        loss=dict(type='SaliencyAlignLoss', loss_weight=4.0)))

view_pipeline = [
    _base_.saliency_swap,
    *_base_.view_pipeline[1:],  # MoCo v2 colour, blur and flip
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiViewWithMask', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs', algorithm_keys=['saliency_mask'])
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
