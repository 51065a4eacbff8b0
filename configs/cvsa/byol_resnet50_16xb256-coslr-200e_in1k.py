# Stage 1 of CVSA's dual-stage pre-training on ImageNet (Table 4): BYOL with
# CVSA's settings for every method (section 3.1 and appendix A.2: MoCo v2's
# augmentations, the BYOL paper's EMA 0.996 and weight decay 1.5e-6), i.e.
# the CUB baseline ../byol/byol_resnet50_16xb64-coslr-800e_cub.py on
# ImageNet-1K with mmpretrain's ImageNet recipe for the rest: batch
# 16 x 256 = 4096, LARS lr 4.8, 10 warm-up epochs, 200 epochs (the paper:
# "200 epochs on 100% IN").
_base_ = '../byol/byol_resnet50_16xb64-coslr-800e_cub.py'

train_dataloader = dict(
    batch_size=256,
    dataset=dict(
        _delete_=True,
        type='ImageNet',
        data_root='data/imagenet',
        split='train',
        pipeline=_base_.train_pipeline))

optim_wrapper = dict(optimizer=dict(lr=4.8))
# the schedule of ../byol/byol_resnet50_16xb64-coslr-800e_cub.py (10 warm-up
# epochs, then cosine), shortened
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], T_max=190, end=200)
]
train_cfg = dict(max_epochs=200)
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(base_batch_size=4096)
