# Linear probe of a ResNet-18 pre-trained on the synthetic CUB-format set
# (e.g. configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py): the CVSA
# A.1 protocol of resnet50_1xb16-linear-coslr-50e_cub.py with a ResNet-18,
# 64 px crops of the 96 px images (test: short edge 73, centre crop 64) and a
# 10-way head (the synthetic set's default number of classes).
_base_ = './resnet50_1xb16-linear-coslr-50e_cub.py'

model = dict(
    backbone=dict(depth=18), head=dict(num_classes=10, in_channels=512))
data_preprocessor = dict(num_classes=10)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=64, backend='pillow'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=73, edge='short', backend='pillow'),
    dict(type='CenterCrop', crop_size=64),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    num_workers=2,
    dataset=dict(data_root='data/synthetic_cub', pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=2,
    dataset=dict(data_root='data/synthetic_cub', pipeline=test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(logger=dict(interval=5))
