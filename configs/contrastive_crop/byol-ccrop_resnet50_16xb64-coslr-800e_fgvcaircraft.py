# BYOL + ContrastiveCrop on FGVC-Aircraft (train + val): the CUB config on
# Aircraft, as configs/byol/byol_resnet50_16xb64-coslr-800e_fgvcaircraft.py.
_base_ = './byol-ccrop_resnet50_16xb64-coslr-800e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='FGVCAircraftWithBoxes',
        data_root='data/fgvc_aircraft',
        split='trainval'))
