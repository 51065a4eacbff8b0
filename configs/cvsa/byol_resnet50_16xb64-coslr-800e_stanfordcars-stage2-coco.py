# BYOL, stage 2 of the dual-stage pre-training (CVSA Table 3, the
# comparison row marked "Stage 2") on this set: the settings of
# cvsa_resnet50_16xb64-coslr-800e_stanfordcars-stage2-coco.py
# (stage-1 backbone, ResNet stages 1-2 frozen) with BYOL instead of CVSA.
# Train stage 1 first, or pass another checkpoint with
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH
_base_ = '../byol/byol_resnet50_16xb64-coslr-800e_stanfordcars.py'

stage1_checkpoint = ('work_dirs/byol_resnet50_16xb64-coslr-800e_coco/'
                     'epoch_800.pth')
model = dict(
    backbone=dict(
        frozen_stages=2,
        init_cfg=dict(
            type='Pretrained',
            checkpoint=stage1_checkpoint,
            prefix='backbone.')))
