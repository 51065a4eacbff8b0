_base_ = '../schedules/sgd-coslr-500e_small.py'

# MoCo of ContrastiveCrop's small-set experiments (Peng et al., CVPR 2022,
# arXiv 2202.03278, Table 1), as the authors' small-set code builds it: a
# CIFAR-stem ResNet-18 (3 x 3 stem of stride 1, no max-pooling), an MLP head
# 512-512-128, a queue of 65536 keys, key momentum 0.999 and temperature
# 0.2 (the MoCo v2 settings).
model = dict(
    type='MoCo',
    queue_len=65536,
    feat_dim=128,
    momentum=0.001,
    backbone=dict(type='ResNet_CIFAR', depth=18, norm_cfg=dict(type='BN')),
    neck=dict(
        type='MoCoV2Neck',
        in_channels=512,
        hid_channels=512,
        out_channels=128,
        with_avg_pool=True),
    head=dict(
        type='ContrastiveHead',
        loss=dict(type='CrossEntropyLoss'),
        temperature=0.2))
custom_hooks = []
