# MoCo v2 on CUB-200-2011 with the settings of LCR (CVPR 2023) section 4.1,
# the MoCo v2 baseline of its Table 2: ResNet-50, batch 8 x 16 = 128,
# SGD lr 0.03, 100 epochs, queue 65536, momentum 0.999, T = 0.2, MLP
# 2048-2048-256. LCR starts from ImageNet-supervised weights: pass your own
# file (nothing is downloaded), e.g.
#   --cfg-options model.backbone.init_cfg.type=Pretrained \
#     model.backbone.init_cfg.checkpoint=/path/to/resnet50_in1k.pth
_base_ = 'mmpretrain::mocov2/mocov2_resnet50_8xb32-coslr-200e_in1k.py'

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

model = dict(feat_dim=256, neck=dict(out_channels=256))

train_dataloader = dict(
    batch_size=16,
    # mmpretrain:: bases inject `_scope_` into this dict, which
    # default_collate() does not accept: start it afresh.
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(
        type='CUBWithBoxes', data_root='data/CUB_200_2011', split='train'))

param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=100, by_epoch=True, begin=0, end=100)
]
train_cfg = dict(max_epochs=100)
default_hooks = dict(
    logger=dict(interval=10), checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(base_batch_size=128)
