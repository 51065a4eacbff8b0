# SimSiam + ContrastiveCrop on Tiny ImageNet: ContrastiveCrop (CVPR 2022,
# arXiv 2202.03278) Table 1, SimSiam row, Tiny ImageNet C-Crop column:
# 44.54 linear top-1 (R-Crop 43.03; the paper's numbers). Differences
# from simsiam_resnet18_8xb64-coslr-500e_tiny-imagenet.py: ContrastiveCrop
# (alpha 0.1) in both views and the box hook (k 0.1, boxes from epoch 100,
# recomputed after epochs 100, 200, 300 and 400).
_base_ = [
    './_base_/models/simsiam_resnet18-small.py',
    './_base_/datasets/tiny-imagenet_small.py'
]

train_dataloader = dict(dataset=dict(pipeline=_base_.ccrop_train_pipeline))
custom_hooks = [*_base_.custom_hooks, _base_.ccrop_hook]
