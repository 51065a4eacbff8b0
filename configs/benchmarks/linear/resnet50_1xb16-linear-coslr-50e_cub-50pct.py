# Linear probe on 50 % of the training labels (LCR, CVPR 2023, Table 2):
# a class-balanced subset, the same 50 % of every class, drawn with a fixed
# seed (ClassBalancedSubset; the 20 % subset lies inside the 50 % one).
# Otherwise as
# resnet50_1xb16-linear-coslr-50e_cub.py; the test split is whole.
_base_ = './resnet50_1xb16-linear-coslr-50e_cub.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ClassBalancedSubset',
        fraction=0.5,
        seed=0,
        dataset=_base_.train_dataloader.dataset))
