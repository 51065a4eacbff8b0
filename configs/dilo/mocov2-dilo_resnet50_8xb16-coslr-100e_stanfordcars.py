# MoCo v2 + DiLo on Stanford Cars with LCR's settings (LCR Table 2 baseline).
_base_ = './mocov2-dilo_resnet50_8xb16-coslr-100e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='StanfordCarsWithBoxes',
        data_root='data/stanfordcars',
        split='train'))
