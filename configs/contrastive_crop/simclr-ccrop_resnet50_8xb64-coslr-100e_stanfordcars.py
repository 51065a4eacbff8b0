# SimCLR + ContrastiveCrop on Stanford Cars: the CUB config on Cars.
_base_ = './simclr-ccrop_resnet50_8xb64-coslr-100e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='StanfordCarsWithBoxes',
        data_root='data/stanfordcars',
        split='train'))
