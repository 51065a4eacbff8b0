# The synthetic-set linear probe on 20 % of the training labels
# (class-balanced, seeded), as the LCR label-fraction configs.
_base_ = './resnet18_1xb16-linear-coslr-50e_synthcub.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ClassBalancedSubset',
        fraction=0.2,
        seed=0,
        dataset=_base_.train_dataloader.dataset))
