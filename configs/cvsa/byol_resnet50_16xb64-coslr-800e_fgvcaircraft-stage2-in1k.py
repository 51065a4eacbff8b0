# BYOL, stage 2 of the dual-stage pre-training (CVSA Table 4, the
# comparison row marked "Stage 2") on this set: the settings of
# cvsa_resnet50_16xb64-coslr-800e_fgvcaircraft-stage2-in1k.py
# (stage-1 backbone, ResNet stages 1-2 frozen) with BYOL instead of CVSA.
# Train stage 1 first, or pass another checkpoint with
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH
_base_ = '../byol/byol_resnet50_16xb64-coslr-800e_fgvcaircraft.py'

stage1_checkpoint = ('work_dirs/byol_resnet50_16xb256-coslr-200e_in1k/'
                     'epoch_200.pth')
model = dict(
    backbone=dict(
        frozen_stages=2,
        init_cfg=dict(
            type='Pretrained',
            checkpoint=stage1_checkpoint,
            prefix='backbone.')))
