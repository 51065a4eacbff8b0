# LCR (CVPR 2023) Table 4 "Ours + ContrastiveCrop": MoCo v2 + GFB with
# ContrastiveCrop views on CUB-200-2011. Differences from configs/
# contrastive_crop/mocov2-ccrop_resnet50_8xb16-coslr-100e_cub.py (MoCo v2 +
# CCrop, LCR's Table 4 baseline row): the model is MoCo v2 + GFB with the
# paper's defaults (K = 32, tau = 0.4, nu = 0.01 as in the authors' code).
# As in configs/lcr/mocov2-gfb_resnet50_8xb16-coslr-100e_cub.py, start from
# your own ImageNet-supervised weights:
#   --cfg-options model.backbone.init_cfg.type=Pretrained \
#     model.backbone.init_cfg.checkpoint=/path/to/resnet50_in1k.pth
_base_ = '../contrastive_crop/mocov2-ccrop_resnet50_8xb16-coslr-100e_cub.py'

model = dict(
    type='MoCoGFB',
    gfb_head=dict(
        type='GFBHead',
        in_channels=2048,
        num_projections=32,
        loss=dict(
            type='GradCAMKLLoss',
            tau=0.4,
            reduction='sum',  # with nu 0.01, as the authors' code
            loss_weight=0.01)))
