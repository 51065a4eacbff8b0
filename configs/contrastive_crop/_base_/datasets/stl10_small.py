# STL-10 pre-training data of ContrastiveCrop's Table 1: the 105k images of
# `train+unlabeled` (the authors' split) at 96 px, read from the official
# binary release (mmfgssl's STL10: data_root/stl10_binary/*.bin), with the
# CIFAR views (cifar10_small.py) at 96 px and STL-10's mean and std.
_base_ = './cifar10_small.py'

data_root = 'data/stl10/'
data_preprocessor = dict(
    # the authors' (0.4406, 0.4273, 0.3858) / (0.2312, 0.2265, 0.2237)
    mean=[112.353, 108.962, 98.379],
    std=[58.956, 57.758, 57.044])

crop_size = 96
rcrop_view_pipeline = [
    dict(_base_.rcrop_view_pipeline[0], scale=crop_size),
    *_base_.view_tail,
]
ccrop_view_pipeline = [
    dict(_base_.ccrop_view_pipeline[0], scale=crop_size),
    *_base_.view_tail,
]
train_pipeline = [
    dict(type='MultiView', num_views=2, transforms=[rcrop_view_pipeline]),
    dict(type='PackInputs')
]
ccrop_train_pipeline = [
    dict(type='MultiView', num_views=2, transforms=[ccrop_view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='STL10',
        data_root=data_root,
        split='train+unlabeled',
        pipeline=train_pipeline))
