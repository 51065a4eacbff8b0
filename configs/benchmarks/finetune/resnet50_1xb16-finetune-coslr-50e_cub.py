# Full fine-tuning of a pre-trained ResNet-50 on CUB-200-2011 with the
# protocol of CVSA (AAAI 2022) appendix A.1: the whole network trains, SGD
# momentum 0.9, cosine lr, batch 16, 50 epochs; the paper sweeps
# lr {0.1, 0.05, 0.01, 0.005, 0.001} x wd {5e-4, 1e-4} and picks on
# validation (tools/benchmarks/sweep.py). The difference from the linear
# probe: nothing frozen, BN trains, weight decay.
#   --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = '../linear/resnet50_1xb16-linear-coslr-50e_cub.py'

model = dict(backbone=dict(frozen_stages=-1, norm_eval=False))
optim_wrapper = dict(optimizer=dict(lr=0.01, weight_decay=1e-4))
