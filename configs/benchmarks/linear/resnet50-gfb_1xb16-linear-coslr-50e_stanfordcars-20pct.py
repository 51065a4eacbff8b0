# LCR (CVPR 2023) Table 2, "Ours", linear probe on Stanford Cars with 20 % of
# the training labels: the classifier reads the L2-normalised GFB-weighted
# feature of Eq. 8 (GFBWeightedPooling), as the authors' main_lincls.py does,
# instead of global average pooling. Otherwise as
# resnet50_1xb16-linear-coslr-50e_stanfordcars-20pct.py.
# Give the MoCoGFB / BYOLGFB checkpoint twice (backbone and branch):
#   --cfg-options model.backbone.init_cfg.checkpoint=CKPT \
#     model.neck.gfb_head.init_cfg.checkpoint=CKPT
# (tools/benchmarks/sweep.py sets both from its CHECKPOINT argument). The
# neck is _base_/gfb_weighted_pooling_neck.py.
_base_ = [
    './resnet50_1xb16-linear-coslr-50e_stanfordcars-20pct.py',
    './_base_/gfb_weighted_pooling_neck.py'
]

model = dict(neck=_base_.gfb_neck)
