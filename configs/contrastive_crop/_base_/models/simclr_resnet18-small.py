_base_ = '../schedules/sgd-coslr-500e_small.py'

# SimCLR of ContrastiveCrop's small-set experiments (Peng et al., CVPR 2022,
# arXiv 2202.03278, Table 1), as the authors' small-set code builds it: a
# CIFAR-stem ResNet-18, an MLP head 512-512-128 (linear, ReLU, linear, no
# BN) and NT-Xent at temperature 0.5, scaled by 0.5 / 0.07 as the authors'
# loss (SupCon's `temperature / base_temperature`).
model = dict(
    type='SimCLR',
    backbone=dict(type='ResNet_CIFAR', depth=18, norm_cfg=dict(type='SyncBN')),
    neck=dict(
        type='MoCoV2Neck',
        in_channels=512,
        hid_channels=512,
        out_channels=128,
        with_avg_pool=True),
    head=dict(
        type='ContrastiveHead',
        loss=dict(type='CrossEntropyLoss', loss_weight=0.5 / 0.07),
        temperature=0.5))
custom_hooks = []
