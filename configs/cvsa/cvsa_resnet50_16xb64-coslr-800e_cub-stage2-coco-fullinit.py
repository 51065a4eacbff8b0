# BYOL + CVSA, stage 2 on CUB-200-2011 initialised from the whole stage-1
# BYOL model on COCO, not only its backbone: CVSA section 5.1 initialises
# stage 2 from stage 1, so here the projector (neck) and the predictor
# (head.predictor) load the stage-1 weights too (BYOL's target network is
# built from the online one, so it starts from them as well). The dense
# branch of the alignment loss has no stage-1 counterpart and starts fresh.
# Otherwise as cvsa_resnet50_16xb64-coslr-800e_cub-stage2-coco.py; another
# checkpoint: set the three init_cfg.checkpoint keys (backbone, neck, head).
_base_ = './cvsa_resnet50_16xb64-coslr-800e_cub-stage2-coco.py'

model = dict(
    neck=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint=_base_.stage1_checkpoint,
            prefix='neck.')),
    head=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint=_base_.stage1_checkpoint,
            prefix='head.')))
