# Tiny ImageNet pre-training data of ContrastiveCrop's Table 1: the 100k
# JPEG files of the release's `train/` (mmfgssl's TinyImageNet, split
# 'train'; labels unused) at 64 px, with the CIFAR views
# (cifar10_small.py) at 64 px and Tiny ImageNet's mean and std. The files
# load as BGR, so the grayscale weights and the preprocessor follow
# mmpretrain's ImageNet configs.
_base_ = './cifar10_small.py'

data_root = 'data/tiny-imagenet-200/'
data_preprocessor = dict(
    # the authors' (0.4802, 0.4481, 0.3975) / (0.2302, 0.2265, 0.2262)
    mean=[122.451, 114.266, 101.363],
    std=[58.701, 57.758, 57.681],
    to_rgb=True)

crop_size = 64
view_tail = [
    *_base_.view_tail[:2],
    dict(_base_.view_tail[2], channel_weights=(0.114, 0.587, 0.2989)),
]
rcrop_view_pipeline = [
    dict(_base_.rcrop_view_pipeline[0], scale=crop_size),
    *view_tail,
]
ccrop_view_pipeline = [
    dict(_base_.ccrop_view_pipeline[0], scale=crop_size),
    *view_tail,
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[rcrop_view_pipeline]),
    dict(type='PackInputs')
]
ccrop_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiView', num_views=2, transforms=[ccrop_view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='TinyImageNet',
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))

ccrop_hook = dict(
    pipeline=[dict(type='LoadImageFromFile'),
              dict(type='PackInputs')])
