# BYOL with RandomResizedCrop, the baseline of CVSA's ResNet-18 ablations
# (Sec. 5.3, Fig. 4a, Table 5: ResNet-18, 400 epochs, CUB). Differences from
# the ResNet-50 BYOL config: ResNet-18 (512-d stage 4), 400 epochs.
_base_ = '../byol/byol_resnet50_16xb64-coslr-800e_cub.py'

model = dict(backbone=dict(depth=18), neck=dict(in_channels=512))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4,
        by_epoch=True,
        begin=0,
        end=10,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=390,
        by_epoch=True,
        begin=10,
        end=400,
        convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=400)
