# ContrastiveCrop's small-set linear probe (Table 1) on STL-10: as
# resnet18_8xb64-linear-step-100e_cifar10.py on the labelled `train` (5000)
# and `test` (8000) splits of the binary release (mmfgssl's STL10), 96 px
# crops and STL-10's mean and std.
_base_ = './resnet18_8xb64-linear-step-100e_cifar10.py'

data_preprocessor = dict(
    mean=[112.353, 108.962, 98.379], std=[58.956, 57.758, 57.044])
crop_size = 96
train_pipeline = [
    dict(_base_.train_pipeline[0], scale=crop_size),
    *_base_.train_pipeline[1:],
]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='STL10',
        data_root='data/stl10/',
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='STL10',
        data_root='data/stl10/',
        split='test',
        pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
