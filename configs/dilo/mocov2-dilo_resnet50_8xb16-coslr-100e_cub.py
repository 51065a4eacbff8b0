# MoCo v2 + DiLo on CUB-200-2011. DiLo (AAAI 2021) trains non-parametric
# instance discrimination (Wu et al. 2018) with a memory bank; this project
# replaces it by MoCo v2 (configs/mocov2, LCR's settings), an instance
# discrimination method with a queue of negatives, as DiLo's own ImageNet
# comparison does with K = 65536 negatives (Table 4). DiLo's final setting
# (Sec. 6.3): RBD-style saliency (binarised with Otsu's rule), random gray
# backgrounds, paste probability 0.5, no blending; the copy-and-paste runs
# first in each view pipeline.
_base_ = [
    '../mocov2/mocov2_resnet50_8xb16-coslr-100e_cub.py',
    '../_base_/methods/dilo.py'
]

view_pipeline = [_base_.copy_paste, *_base_.view_pipeline]
train_pipeline = [
    dict(type='LoadImageFromFile'), _base_.load_saliency,
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
