_base_ = '../schedules/sgd-coslr-500e_small.py'

# BYOL of ContrastiveCrop's small-set experiments (Peng et al., CVPR 2022,
# arXiv 2202.03278, Table 1), as the authors' small-set code builds it: a
# CIFAR-stem ResNet-18, projector 512-512-128 and predictor 128-512-128
# (linear, BN, ReLU, linear), target momentum 0.996. mmpretrain's BYOL
# raises the momentum to 1 on a cosine over training; the authors' code
# keeps it at 0.996.
model = dict(
    type='BYOL',
    base_momentum=0.004,
    backbone=dict(type='ResNet_CIFAR', depth=18, norm_cfg=dict(type='SyncBN')),
    neck=dict(
        type='NonLinearNeck',
        in_channels=512,
        hid_channels=512,
        out_channels=128,
        num_layers=2,
        with_bias=True,
        with_last_bn=False,
        with_avg_pool=True),
    head=dict(
        type='LatentPredictHead',
        predictor=dict(
            type='NonLinearNeck',
            in_channels=128,
            hid_channels=512,
            out_channels=128,
            num_layers=2,
            with_bias=True,
            with_last_bn=False,
            with_avg_pool=False),
        loss=dict(type='CosineSimilarityLoss')))
custom_hooks = []
