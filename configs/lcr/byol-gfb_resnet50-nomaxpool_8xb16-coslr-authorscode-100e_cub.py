# BYOL + GFB on CUB-200-2011 with the authors' public BYOL code (main.py,
# models/byol.py and models/backbones/cub_resnet_1.py of GANPerf/LCR), where
# byol-gfb_resnet50_8xb16-coslr-100e_cub.py follows the paper: a ResNet-50
# without the stem max-pool (14 x 14 last stage at 224 px); the GradCAM of
# their loss scale ((-cos_12 - cos_21) / 2, a quarter of mmpretrain's BYOL
# loss) on the first view only, of the batch-mean loss, kept in the graph
# through phi; KL(G || A) over the flattened map at tau 0.4, summed; the
# normalised map A' (whole batch, range) is fitted and pools the test
# feature; the GFB on the attached feature map.
_base_ = './byol-gfb_resnet50_8xb16-coslr-100e_cub.py'

model = dict(
    backbone=dict(type='ResNetNoMaxPool'),
    gfb_head=dict(loss=dict(direction='G||A')),
    cam_graph='phi',
    cam_per_image_loss=False,
    cam_loss_scale=0.25,
    cam_views='first',
    gfb_input='attached',
    fit_target='normalized',
    attention_norm=dict(per_image=False, denominator='range'))
