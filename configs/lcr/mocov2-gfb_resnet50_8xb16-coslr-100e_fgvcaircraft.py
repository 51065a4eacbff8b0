# LCR "Ours" (MoCo v2 + GFB) on FGVC-Aircraft, train + val (LCR Table 2).
_base_ = './mocov2-gfb_resnet50_8xb16-coslr-100e_cub.py'

train_dataloader = dict(
    dataset=dict(
        type='FGVCAircraftWithBoxes',
        data_root='data/fgvc_aircraft',
        split='trainval'))
