# Mask R-CNN R50-C4 fine-tuned on COCO train2017 and evaluated on val2017:
# the protocol of ContrastiveCrop (CVPR 2022) Table 4 ("COCO detection" and
# "COCO instance seg." columns), which follows MoCo's detectron2 setup: 1x
# schedule (12 epochs of batch 16, about 90k iterations), multi-scale
# training (shorter side 640..800 step 32), all layers fine-tuned with SyncBN
# in train mode and an extra norm after res5 in the shared head. Logged as
# coco/bbox_mAP{,_50,_75} and coco/segm_mAP{,_50,_75}.
# The backbone (res2-res4) and the shared head (res5) are both initialised
# from the same pre-training checkpoint: start it with
#   bash tools/benchmarks/mmdetection/dist_train.sh CFG CKPT GPUS
_base_ = 'mmdet::mask_rcnn/mask-rcnn_r50-caffe-c4_1x_coco.py'

default_scope = 'mmdet'
custom_imports = dict(
    imports=['mmfgssl', 'mmpretrain.models.utils.res_layer_extra_norm'],
    allow_failed_imports=False)

pretrained = dict(
    type='Pretrained',
    checkpoint='<set model.backbone.init_cfg.checkpoint>',
    prefix='backbone.')
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    data_preprocessor=dict(
        type='DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_mask=True,
        pad_size_divisor=32),
    backbone=dict(
        frozen_stages=-1,
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        init_cfg=pretrained),
    roi_head=dict(
        shared_head=dict(
            type='ResLayerExtraNorm',
            norm_cfg=norm_cfg,
            norm_eval=False,
            style='pytorch',
            init_cfg=dict(
                pretrained,
                checkpoint='<set model.roi_head.shared_head.init_cfg.'
                'checkpoint>'))))

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
