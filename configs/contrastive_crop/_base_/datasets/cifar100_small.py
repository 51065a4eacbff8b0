# CIFAR-100 pre-training data of ContrastiveCrop's Table 1: as CIFAR-10
# (cifar10_small.py) with the CIFAR-100 arrays and their mean and std.
# Extract cifar-100-python.tar.gz into `data_root`.
_base_ = './cifar10_small.py'

dataset_type = 'CIFAR100'
data_root = 'data/cifar100/'
data_preprocessor = dict(
    # the authors' (0.5071, 0.4867, 0.4408) / (0.2675, 0.2565, 0.2761)
    mean=[129.31, 124.109, 112.404],
    std=[68.213, 65.407, 70.406])
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
