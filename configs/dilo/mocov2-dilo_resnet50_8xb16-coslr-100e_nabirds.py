# MoCo v2 + DiLo on NABirds with LCR's settings.
_base_ = './mocov2-dilo_resnet50_8xb16-coslr-100e_cub.py'

train_dataloader = dict(
    dataset=dict(type='NABirds', data_root='data/nabirds', split='train'))
