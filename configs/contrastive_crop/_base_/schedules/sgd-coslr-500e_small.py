# The small-set pre-training schedule of ContrastiveCrop (Peng et al.,
# "Crafting Better Contrastive Views for Siamese Representation Learning",
# CVPR 2022, arXiv 2202.03278, section 4.2), the same for every method of
# its Table 1: 500 epochs, batch 512 (8 GPUs x 64), SGD with momentum 0.9,
# weight decay 1e-4 and a cosine-annealed learning rate from 0.5.
_base_ = 'mmpretrain::_base_/default_runtime.py'

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

lr = 0.5
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=lr, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=500, by_epoch=True, begin=0, end=500)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=500)
default_hooks = dict(checkpoint=dict(interval=50, max_keep_ckpts=3))

auto_scale_lr = dict(base_batch_size=512)
