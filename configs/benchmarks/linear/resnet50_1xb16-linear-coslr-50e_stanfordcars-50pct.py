# Linear probe on 50 % of the training labels (LCR, CVPR 2023, Table 2): the
# class-balanced subset of
# resnet50_1xb16-linear-coslr-50e_stanfordcars-20pct.py
# at fraction 0.5 with the same seed, so the 20 % subset lies inside this
# one; the test split is whole.
_base_ = './resnet50_1xb16-linear-coslr-50e_stanfordcars-20pct.py'

train_dataloader = dict(dataset=dict(fraction=0.5))
