# BYOL + CVSA (SaliencySwap + Align), ResNet-18, 400 epochs on CUB: the
# "BYOL+SS+Align" of CVSA's ablations (Fig. 4a, lambda 0.5; Table 5, CUB
# backgrounds). The lambda and background-set variants inherit this config.
# Differences from the ResNet-50 CVSA config: ResNet-18 (512-d stage 4) and
# the 400-epoch schedule of byol_resnet18_16xb64-coslr-400e_cub.py.
_base_ = './cvsa_resnet50_16xb64-coslr-800e_cub.py'

model = dict(
    backbone=dict(depth=18),
    neck=dict(in_channels=512),
    dense_neck=dict(in_channels=[512]))
# the schedule of ../byol/byol_resnet50_16xb64-coslr-800e_cub.py (10 warm-up
# epochs, then cosine), shortened
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], T_max=390, end=400)
]
train_cfg = dict(max_epochs=400)
