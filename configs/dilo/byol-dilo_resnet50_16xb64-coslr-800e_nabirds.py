# BYOL + DiLo on NABirds (CVSA Tables 2-5).
_base_ = './byol-dilo_resnet50_16xb64-coslr-800e_cub.py'

train_dataloader = dict(
    dataset=dict(type='NABirds', data_root='data/nabirds', split='train'))
