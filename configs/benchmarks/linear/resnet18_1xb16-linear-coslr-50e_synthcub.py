# Linear probe of a ResNet-18 pre-trained on the synthetic CUB-format set
# (e.g. configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py): the CVSA
# A.1 protocol of resnet50_1xb16-linear-coslr-50e_cub.py with the synthetic
# configs' CIFAR-stem ResNet-18 (widths 16-128), 56 px crops of the 64 px
# images (test: the whole image) and a 10-way head (the synthetic set's
# default number of classes).
_base_ = './resnet50_1xb16-linear-coslr-50e_cub.py'

model = dict(
    backbone=dict(
        type='ResNet_CIFAR', depth=18, stem_channels=16, base_channels=16),
    head=dict(num_classes=10, in_channels=128))
data_preprocessor = dict(num_classes=10)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=56, backend='pillow'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(64, 64), backend='pillow'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    num_workers=2,
    dataset=dict(data_root='data/synthetic_cub_bg', pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=2,
    dataset=dict(data_root='data/synthetic_cub_bg', pipeline=test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(logger=dict(interval=5))
