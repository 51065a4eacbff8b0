# BYOL + ContrastiveCrop on Stanford Cars: the CUB config on Cars with base
# lr 0.3 (CVSA A.2), as configs/byol/
# byol_resnet50_16xb64-coslr-800e_stanfordcars.py.
_base_ = './byol-ccrop_resnet50_16xb64-coslr-800e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='StanfordCarsWithBoxes',
        data_root='data/stanfordcars',
        split='train'))
optim_wrapper = dict(optimizer=dict(lr=1.2))
