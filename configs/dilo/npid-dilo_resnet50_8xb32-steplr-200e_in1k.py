# NPID + DiLo on ImageNet-1k, as DiLo (Zhao et al., AAAI 2021, arXiv
# 2004.06638) trains it for Tables 2 and 3: "Ours RBD", 59.3 linear top-1
# (baseline 56.5; the paper's numbers). Differences from
# configs/npid/npid_resnet50_8xb32-steplr-200e_in1k.py: DiLo's copy-and-paste
# (RBD-style saliency, gray backgrounds, probability 0.5, no blending) first
# in the view pipeline, the mask computed once per image before it. Precompute
# the masks for speed (configs/dilo/README.md).
_base_ = [
    '../npid/npid_resnet50_8xb32-steplr-200e_in1k.py',
    '../_base_/methods/dilo.py'
]

view_pipeline = [_base_.copy_paste, *_base_.view_pipeline]
train_pipeline = [
    dict(type='LoadImageFromFile'), _base_.load_saliency,
    dict(type='MultiView', num_views=1, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
