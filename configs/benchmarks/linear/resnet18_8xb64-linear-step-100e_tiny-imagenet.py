# ContrastiveCrop's small-set linear probe (Table 1) on Tiny ImageNet: as
# resnet18_8xb64-linear-step-100e_cifar10.py on the release's `train` and
# `val` splits (mmfgssl's TinyImageNet; JPEG files loaded as BGR), 64 px
# crops, a 200-way head and Tiny ImageNet's mean and std.
_base_ = './resnet18_8xb64-linear-step-100e_cifar10.py'

model = dict(head=dict(num_classes=200))
data_preprocessor = dict(
    num_classes=200,
    mean=[122.451, 114.266, 101.363],
    std=[58.701, 57.758, 57.681],
    to_rgb=True)
crop_size = 64
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(_base_.train_pipeline[0], scale=crop_size),
    *_base_.train_pipeline[1:],
]
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='TinyImageNet',
        data_root='data/tiny-imagenet-200/',
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='TinyImageNet',
        data_root='data/tiny-imagenet-200/',
        split='val',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
