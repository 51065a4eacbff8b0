# The supervised ceiling of the synthetic localisation regime: the
# pre-training configs' CIFAR-stem ResNet-18 (widths 16-128) trained from
# random initialisation with the labels, for the pre-training budget (batch
# 32, 100 epochs, 56 px RandomResizedCrop + flip of the 64 px images), then
# evaluated like any pre-trained backbone (tools/benchmarks/cost_and_gain.py,
# tools/analysis_tools/knn_eval.py).
_base_ = '../finetune/resnet18_1xb16-finetune-coslr-50e_synthcub.py'

model = dict(backbone=dict(init_cfg=None))
train_dataloader = dict(batch_size=32)
optim_wrapper = dict(optimizer=dict(lr=0.05, weight_decay=5e-4))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=100,
        by_epoch=True,
        begin=0,
        end=100,
        convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=100, val_interval=25)
auto_scale_lr = dict(base_batch_size=32)
