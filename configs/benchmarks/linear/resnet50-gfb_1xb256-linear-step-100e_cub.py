# The authors' linear protocol of LCR (main_lincls.py of GANPerf/LCR) on
# CUB-200-2011, beside CVSA's appendix A.1 protocol of the -coslr-50e
# configs: batch 256, SGD lr 30 with momentum 0.9 and no weight decay, 100
# epochs, lr x 0.1 at epochs 60 and 80; the L2-normalised GFB-weighted
# feature (Eq. 8). Otherwise as resnet50-gfb_1xb16-linear-coslr-50e_cub.py
# (set both checkpoint keys as there).
_base_ = './resnet50-gfb_1xb16-linear-coslr-50e_cub.py'

train_dataloader = dict(batch_size=256)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=30., momentum=0.9, weight_decay=0.))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[60, 80], gamma=0.1)
]
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=10)
auto_scale_lr = dict(base_batch_size=256)
