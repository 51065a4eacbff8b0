# Full fine-tuning of a ResNet-18 pre-trained on the synthetic CUB-format
# set: resnet18_1xb16-linear-coslr-50e_synthcub.py with nothing frozen, BN
# training and weight decay 1e-4 (CVSA A.1).
_base_ = '../linear/resnet18_1xb16-linear-coslr-50e_synthcub.py'

model = dict(backbone=dict(frozen_stages=-1, norm_eval=False))
optim_wrapper = dict(optimizer=dict(lr=0.01, weight_decay=1e-4))
