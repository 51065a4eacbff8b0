# MoCo on CIFAR-10, RandomResizedCrop views: ContrastiveCrop
# (CVPR 2022, arXiv 2202.03278) Table 1, MoCo row, CIFAR-10 R-Crop
# column: 86.73 linear top-1 (the paper's number). ResNet-18, 500 e,
# batch 512, lr 0.5; the ContrastiveCrop counterpart is
# mocov2-ccrop_resnet18_8xb64-coslr-500e_cifar10.py.
_base_ = [
    './_base_/models/mocov2_resnet18-small.py',
    './_base_/datasets/cifar10_small.py'
]
