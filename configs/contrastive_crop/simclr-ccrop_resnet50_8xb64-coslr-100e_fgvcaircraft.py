# SimCLR + ContrastiveCrop on FGVC-Aircraft (train + val): the CUB config on
# Aircraft.
_base_ = './simclr-ccrop_resnet50_8xb64-coslr-100e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='FGVCAircraftWithBoxes',
        data_root='data/fgvc_aircraft',
        split='trainval'))
