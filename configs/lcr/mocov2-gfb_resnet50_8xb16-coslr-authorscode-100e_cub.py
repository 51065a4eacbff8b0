# MoCo v2 + GFB on CUB-200-2011 with every switch set as the authors' public
# MoCo code does it (main_moco.py and moco/builder.py of GANPerf/LCR), where
# mocov2-gfb_resnet50_8xb16-coslr-100e_cub.py follows the paper:
# KL(G || A) with the softmax over the last axis of the map and no
# temperature, summed; the GradCAM of the batch-mean loss, kept in the graph
# through phi (gradient constant); the GFB on the attached feature map, so
# the KL reaches the backbone; the min-max normalised map A' (over the whole
# batch, divided by its range) is fitted and pools the test feature.
_base_ = './mocov2-gfb_resnet50_8xb16-coslr-100e_cub.py'

model = dict(
    gfb_head=dict(
        loss=dict(
            direction='G||A', softmax_dim='row', tau=1.0, reduction='sum')),
    cam_graph='phi',
    cam_per_image_loss=False,
    gfb_input='attached',
    fit_target='normalized',
    attention_norm=dict(per_image=False, denominator='range'))
