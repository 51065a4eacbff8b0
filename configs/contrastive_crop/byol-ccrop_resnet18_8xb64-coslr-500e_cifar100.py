# BYOL + ContrastiveCrop on CIFAR-100: ContrastiveCrop (CVPR 2022,
# arXiv 2202.03278) Table 1, BYOL row, CIFAR-100 C-Crop column:
# 64.62 linear top-1 (R-Crop 63.75; the paper's numbers). Differences
# from byol_resnet18_8xb64-coslr-500e_cifar100.py: ContrastiveCrop
# (alpha 0.1) in both views and the box hook (k 0.1, boxes from epoch 100,
# recomputed after epochs 100, 200, 300 and 400).
_base_ = [
    './_base_/models/byol_resnet18-small.py',
    './_base_/datasets/cifar100_small.py'
]

train_dataloader = dict(dataset=dict(pipeline=_base_.ccrop_train_pipeline))
custom_hooks = [*_base_.custom_hooks, _base_.ccrop_hook]
