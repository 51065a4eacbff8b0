# Mask R-CNN R50-FPN fine-tuned on COCO train2017 and evaluated on val2017,
# 1x schedule (12 epochs of batch 16), multi-scale training (shorter side
# 640..800), all layers fine-tuned with SyncBN in the backbone, the FPN and
# the box (4 conv + 1 fc) and mask heads, as in the self-supervised
# detection benchmarks (MoCo; mmselfsup / mmpretrain). The FPN counterpart of
# mask-rcnn_r50-c4_ms-1x_coco.py; no paper of this project reports it.
# Start it with
#   bash tools/benchmarks/mmdetection/dist_train.sh CFG CKPT GPUS
_base_ = 'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py'

default_scope = 'mmdet'
custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)

norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    # the base already takes pytorch-style RGB input with ImageNet mean / std
    backbone=dict(
        frozen_stages=-1,
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='<set model.backbone.init_cfg.checkpoint>',
            prefix='backbone.')),
    neck=dict(norm_cfg=norm_cfg),
    roi_head=dict(
        bbox_head=dict(type='Shared4Conv1FCBBoxHead', norm_cfg=norm_cfg),
        mask_head=dict(norm_cfg=norm_cfg)))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(
        type='RandomChoiceResize',
        scales=[(1333, 640), (1333, 672), (1333, 704), (1333, 736),
                (1333, 768), (1333, 800)],
        keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
