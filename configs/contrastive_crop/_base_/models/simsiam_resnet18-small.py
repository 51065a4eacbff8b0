_base_ = '../schedules/sgd-coslr-500e_small.py'

# SimSiam of ContrastiveCrop's small-set experiments (Peng et al., CVPR
# 2022, arXiv 2202.03278, Table 1), as the authors' small-set code builds
# it: a CIFAR-stem ResNet-18 with zero-initialised residuals, a 3-layer
# projector of width 512 (last BN without affine), a predictor 512-128-512
# and a predictor learning rate held at its initial value.
model = dict(
    type='SimSiam',
    backbone=dict(
        type='ResNet_CIFAR',
        depth=18,
        norm_cfg=dict(type='SyncBN'),
        zero_init_residual=True),
    neck=dict(
        type='NonLinearNeck',
        in_channels=512,
        hid_channels=512,
        out_channels=512,
        num_layers=3,
        with_last_bn_affine=False,
        with_avg_pool=True),
    head=dict(
        type='LatentPredictHead',
        loss=dict(type='CosineSimilarityLoss'),
        predictor=dict(
            type='NonLinearNeck',
            in_channels=512,
            hid_channels=128,
            out_channels=512,
            with_avg_pool=False,
            with_last_bn=False,
            with_last_bias=True)))
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'predictor': dict(fix_lr=True)}))
custom_hooks = [
    dict(type='SimSiamHook', priority='HIGH', fix_pred_lr=True, lr=0.5)
]
