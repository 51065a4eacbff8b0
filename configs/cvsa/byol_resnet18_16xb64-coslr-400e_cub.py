# BYOL with RandomResizedCrop, the baseline of CVSA's ResNet-18 ablations
# (Sec. 5.3, Fig. 4a, Table 5: ResNet-18, 400 epochs, CUB). Differences from
# the ResNet-50 BYOL config: ResNet-18 (512-d stage 4), 400 epochs.
_base_ = '../byol/byol_resnet50_16xb64-coslr-800e_cub.py'

model = dict(backbone=dict(depth=18), neck=dict(in_channels=512))
# the schedule of ../byol/byol_resnet50_16xb64-coslr-800e_cub.py (10 warm-up
# epochs, then cosine), shortened
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], T_max=390, end=400)
]
train_cfg = dict(max_epochs=400)
