# BYOL on CIFAR-100, RandomResizedCrop views: ContrastiveCrop
# (CVPR 2022, arXiv 2202.03278) Table 1, BYOL row, CIFAR-100 R-Crop
# column: 63.75 linear top-1 (the paper's number). ResNet-18, 500 e,
# batch 512, lr 0.5; the ContrastiveCrop counterpart is
# byol-ccrop_resnet18_8xb64-coslr-500e_cifar100.py.
_base_ = [
    './_base_/models/byol_resnet18-small.py',
    './_base_/datasets/cifar100_small.py'
]
