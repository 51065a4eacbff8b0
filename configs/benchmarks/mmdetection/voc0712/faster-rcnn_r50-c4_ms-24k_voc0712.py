# Faster R-CNN R50-C4 fine-tuned on PASCAL VOC07+12 trainval and evaluated on
# VOC07 test: the detection transfer protocol of ContrastiveCrop (CVPR 2022)
# Table 4, which follows MoCo's detectron2 setup: 24k iterations of batch 16,
# multi-scale training (shorter side 480..800 step 32), test at 800, all
# layers fine-tuned with SyncBN in train mode, an extra norm after res5 in the
# shared head, and the 11-point VOC07 AP at IoU 0.5:0.05:0.95 (logged as
# pascal_voc/mAP, AP50 and AP75 as pascal_voc/AP50, pascal_voc/AP75).
# The backbone (res2-res4) and the shared head (res5) are both initialised
# from the same pre-training checkpoint: start it with
#   bash tools/benchmarks/mmdetection/dist_train.sh CFG CKPT GPUS
# (or set both init_cfg.checkpoint keys below by --cfg-options).
_base_ = 'mmdet::pascal_voc/faster-rcnn_r50-caffe-c4_ms-18k_voc0712.py'

default_scope = 'mmdet'
# mmfgssl allow-lists mmengine checkpoints for torch.load; mmpretrain
# registers ResLayerExtraNorm into mmdet's registry when mmdet is installed
custom_imports = dict(
    imports=['mmfgssl', 'mmpretrain.models.utils.res_layer_extra_norm'],
    allow_failed_imports=False)

# the error "... can not be found" names the key to set
pretrained = dict(
    type='Pretrained',
    checkpoint='<set model.backbone.init_cfg.checkpoint>',
    prefix='backbone.')
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    # pytorch-style (RGB, ImageNet mean / std) weights, as pre-trained here,
    # instead of the base's caffe-style BGR input
    data_preprocessor=dict(
        type='DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
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
                'checkpoint>')),
        bbox_head=dict(num_classes=20)))

# the base's data pipelines are kept: RandomChoiceResize over (1333, 480..800)
# for training, (1333, 800) for testing; VOC07+12 trainval -> VOC07 test

# 24k iterations, lr x 0.1 at 18k and 22k, 100 warm-up iterations
max_iters = 24000
train_cfg = dict(max_iters=max_iters, val_interval=2000)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=100),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_iters,
        by_epoch=False,
        milestones=[18000, 22000],
        gamma=0.1)
]
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=2000))

# VOC07's 11-point AP, at the IoU thresholds of the AP / AP50 / AP75 columns
val_evaluator = dict(
    type='VOCMetric',
    metric='mAP',
    eval_mode='11points',
    iou_thrs=[0.5 + 0.05 * i for i in range(10)])
test_evaluator = val_evaluator
