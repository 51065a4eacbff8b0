# MoCo v2 with RandomResizedCrop, ResNet-18, 400 epochs on CUB: the MoCo v2
# baseline of CVSA's Fig. 4a. The paper gives no MoCo v2 hyper-parameters
# beyond its augmentations; these are the project's MoCo v2 CUB settings
# (batch 128, SGD lr 0.03, queue 65536, T 0.2) with ResNet-18 and 400 epochs,
# from random initialisation as every second-stage-only run.
_base_ = '../mocov2/mocov2_resnet50_8xb16-coslr-100e_cub.py'

model = dict(
    backbone=dict(depth=18), neck=dict(in_channels=512, hid_channels=512))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=400, by_epoch=True, begin=0, end=400)
]
train_cfg = dict(max_epochs=400)
