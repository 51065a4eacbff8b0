# BYOL on FGVC-Aircraft (CVSA Tables 2-5), pre-trained on train + val.
_base_ = './byol_resnet50_16xb64-coslr-800e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='FGVCAircraftWithBoxes',
        data_root='data/fgvc_aircraft',
        split='trainval'))
