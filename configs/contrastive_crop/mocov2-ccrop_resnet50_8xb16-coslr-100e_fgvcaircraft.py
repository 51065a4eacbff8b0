# MoCo v2 + ContrastiveCrop on FGVC-Aircraft (train + val): the CUB config
# on Aircraft, as configs/mocov2/
# mocov2_resnet50_8xb16-coslr-100e_fgvcaircraft.py.
_base_ = './mocov2-ccrop_resnet50_8xb16-coslr-100e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='FGVCAircraftWithBoxes',
        data_root='data/fgvc_aircraft',
        split='trainval'))
