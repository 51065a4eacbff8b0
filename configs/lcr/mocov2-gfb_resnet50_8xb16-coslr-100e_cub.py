# LCR (CVPR 2023) "Ours": MoCo v2 + GradCAM fitting branch on CUB-200-2011,
# the settings of its section 4.1 / Table 2 (ResNet-50, batch 8 x 16 = 128,
# SGD lr 0.03, 100 epochs, K = 32, tau = 0.4). Differences from the MoCo v2
# baseline config: the model type and the GFB. LCR starts from ImageNet-
# supervised weights; nothing is downloaded, give your own file:
#   --cfg-options model.backbone.init_cfg.type=Pretrained \
#     model.backbone.init_cfg.checkpoint=/path/to/resnet50_in1k.pth
_base_ = '../mocov2/mocov2_resnet50_8xb16-coslr-100e_cub.py'

model = dict(
    type='MoCoGFB',
    gfb_head=dict(
        type='GFBHead',
        in_channels=2048,
        num_projections=32,
        norm_cfg=dict(type='BN'),
        with_relu=True,
        # nu = 0.01 is the authors' code's value (the paper gives none); it
        # goes with their reduction='sum' over the images of a GPU's batch
        # (16 here), so the fitting loss weighs what it weighs there
        loss=dict(
            type='GradCAMKLLoss',
            tau=0.4,
            direction='A||G',
            softmax_dim='hw',
            reduction='sum',
            loss_weight=0.01)),
    loss_cl_weight=1.0,
    cam_graph='detach',  # 'phi': the authors' code
    cam_per_image_loss=True,  # Eq. 3 per image; False: the code's batch mean
    gfb_input='detached',  # 'attached': the authors' code
    train_pooling='avg',  # 'weighted': Ours-DualPooling (Table 4)
    test_pooling='weighted',  # 'avg': Ours-MultiTask (Table 4)
    attention_norm=dict(per_image=True, denominator='max'))
