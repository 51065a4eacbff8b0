# BYOL + CVSA, second-stage only (CVSA Table 2) on Stanford Cars, backgrounds
# from Stanford Cars itself; base lr 0.3 for Cars (CVSA A.2).
_base_ = './cvsa_resnet50_16xb64-coslr-800e_cub.py'

dataset = dict(
    type='StanfordCarsWithBoxes', data_root='data/stanfordcars', split='train')
# the inherited backgrounds are the training set ('train_set'): this set
train_dataloader = dict(dataset=dataset)
optim_wrapper = dict(optimizer=dict(lr=1.2))
