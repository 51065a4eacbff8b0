# ContrastiveCrop's small-set linear probe (Table 1) on CIFAR-100: as
# resnet18_8xb64-linear-step-100e_cifar10.py with the CIFAR-100 arrays, a
# 100-way head and CIFAR-100's mean and std.
_base_ = './resnet18_8xb64-linear-step-100e_cifar10.py'

model = dict(head=dict(num_classes=100))
data_preprocessor = dict(
    num_classes=100,
    mean=[129.31, 124.109, 112.404],
    std=[68.213, 65.407, 70.406])
train_dataloader = dict(
    dataset=dict(type='CIFAR100', data_root='data/cifar100/'))
val_dataloader = dict(
    dataset=dict(type='CIFAR100', data_root='data/cifar100/'))
test_dataloader = val_dataloader
