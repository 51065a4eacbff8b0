# BYOL on STL-10, RandomResizedCrop views: ContrastiveCrop
# (CVPR 2022, arXiv 2202.03278) Table 1, BYOL row, STL-10 R-Crop
# column: 91.84 linear top-1 (the paper's number). ResNet-18, 500 e,
# batch 512, lr 0.5; the ContrastiveCrop counterpart is
# byol-ccrop_resnet18_8xb64-coslr-500e_stl10.py.
_base_ = [
    './_base_/models/byol_resnet18-small.py',
    './_base_/datasets/stl10_small.py'
]
