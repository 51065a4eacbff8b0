# MoCo v2 + DiLo on FGVC-Aircraft (train + val) with LCR's settings (Table 2).
_base_ = './mocov2-dilo_resnet50_8xb16-coslr-100e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='FGVCAircraftWithBoxes',
        data_root='data/fgvc_aircraft',
        split='trainval'))
