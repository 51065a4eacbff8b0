# BYOL + CVSA, second-stage only (CVSA Table 2) on NABirds, backgrounds
# from NABirds itself.
_base_ = './cvsa_resnet50_16xb64-coslr-800e_cub.py'

dataset = dict(type='NABirds', data_root='data/nabirds', split='train')
# the inherited backgrounds are the training set ('train_set'): this set
train_dataloader = dict(dataset=dataset)
