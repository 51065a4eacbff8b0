# MoCo v2 + GFB + ContrastiveCrop on the synthetic CUB-format set: ResNet-18
# on a CPU. Differences from configs/contrastive_crop/
# mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py: the model is MoCo v2 +
# GFB for 128 channels (K = 32).
_base_ = ('../contrastive_crop/'
          'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py')

model = dict(
    type='MoCoGFB',
    gfb_head=dict(
        type='GFBHead',
        in_channels=128,
        num_projections=32,
        loss=dict(type='GradCAMKLLoss', tau=0.4, loss_weight=0.01)),
    # the GradCAM of the batch-mean loss, as these CPU runs were measured
    # (the default, True, is Eq. 3's per-image GradCAM)
    cam_per_image_loss=False)
