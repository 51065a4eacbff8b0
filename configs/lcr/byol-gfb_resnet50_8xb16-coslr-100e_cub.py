# LCR (CVPR 2023) Table 3 "BYOL+Ours" on CUB-200-2011: BYOL + GradCAM
# fitting branch with the authors' BYOL settings (configs/byol_cub200.yaml of
# GANPerf/LCR): batch 128 (8 x 16), LARS base lr 0.3 (x 128 / 256), wd 1.5e-6,
# 10 warm-up epochs and the cosine of an 800-epoch schedule, stopped after
# 100 epochs. ImageNet-supervised init as for MoCo v2 + GFB (user file).
_base_ = '../byol/byol_resnet50_16xb64-coslr-800e_cub.py'

model = dict(
    type='BYOLGFB',
    gfb_head=dict(
        type='GFBHead',
        in_channels=2048,
        num_projections=32,
        loss=dict(
            type='GradCAMKLLoss',
            tau=0.4,
            reduction='sum',  # with nu 0.01, as the authors' code
            loss_weight=0.01)))

train_dataloader = dict(batch_size=16)
optim_wrapper = dict(optimizer=dict(lr=0.15, weight_decay=1.5e-6))
train_cfg = dict(max_epochs=100)
auto_scale_lr = dict(base_batch_size=128)
