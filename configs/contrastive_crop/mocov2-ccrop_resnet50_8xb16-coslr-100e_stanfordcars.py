# MoCo v2 + ContrastiveCrop on Stanford Cars: the CUB config on Cars, as
# configs/mocov2/mocov2_resnet50_8xb16-coslr-100e_stanfordcars.py.
_base_ = './mocov2-ccrop_resnet50_8xb16-coslr-100e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='StanfordCarsWithBoxes',
        data_root='data/stanfordcars',
        split='train'))
