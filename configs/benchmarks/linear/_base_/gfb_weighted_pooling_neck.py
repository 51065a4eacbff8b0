# The neck of LCR's Eq. 8 linear probe (CVPR 2023; the authors'
# main_lincls.py): the L2-normalised GFB-weighted feature of a MoCoGFB /
# BYOLGFB checkpoint in place of global average pooling. The
# resnet50-gfb_*.py configs add it to a linear-probe config with
#   model = dict(neck=_base_.gfb_neck)
# Set the checkpoint with model.neck.gfb_head.init_cfg.checkpoint=CKPT
# (tools/benchmarks/sweep.py sets it from its CHECKPOINT argument).
gfb_neck = dict(
    _delete_=True,
    type='GFBWeightedPooling',
    gfb_head=dict(
        type='GFBHead',
        in_channels=2048,
        num_projections=32,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='<set model.neck.gfb_head.init_cfg.checkpoint>',
            prefix='gfb_head.')))
