# SimCLR on Tiny ImageNet, RandomResizedCrop views: ContrastiveCrop
# (CVPR 2022, arXiv 2202.03278) Table 1, SimCLR row, Tiny ImageNet R-Crop
# column: 45.19 linear top-1 (the paper's number). ResNet-18, 500 e,
# batch 512, lr 0.5; the ContrastiveCrop counterpart is
# simclr-ccrop_resnet18_8xb64-coslr-500e_tiny-imagenet.py.
_base_ = [
    './_base_/models/simclr_resnet18-small.py',
    './_base_/datasets/tiny-imagenet_small.py'
]
