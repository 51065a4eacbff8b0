# BYOL on Stanford Cars (CVSA Tables 2-5): base lr 0.3 for Cars (CVSA A.2).
_base_ = './byol_resnet50_16xb64-coslr-800e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='StanfordCarsWithBoxes',
        data_root='data/stanfordcars',
        split='train'))
optim_wrapper = dict(optimizer=dict(lr=1.2))
