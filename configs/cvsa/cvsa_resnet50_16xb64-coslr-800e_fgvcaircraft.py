# BYOL + CVSA, second-stage only (CVSA Table 2) on FGVC-Aircraft, backgrounds
# from FGVC-Aircraft itself.
_base_ = './cvsa_resnet50_16xb64-coslr-800e_cub.py'

dataset = dict(
    type='FGVCAircraftWithBoxes',
    data_root='data/fgvc_aircraft',
    split='trainval')
# the inherited backgrounds are the training set ('train_set'): this set
train_dataloader = dict(dataset=dataset)
