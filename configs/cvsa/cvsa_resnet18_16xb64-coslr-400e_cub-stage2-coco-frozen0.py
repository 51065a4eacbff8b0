# CVSA Fig. 4b: stage 2 (BYOL + CVSA, ResNet-18, 400 epochs on CUB)
# initialised from the ResNet-18 COCO stage 1
# (byol_resnet18_16xb64-coslr-800e_coco.py) with nothing frozen
# (frozen_stages=0; the paper's setting is 2). Another checkpoint:
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH
_base_ = './cvsa_resnet18_16xb64-coslr-400e_cub.py'

stage1_checkpoint = ('work_dirs/byol_resnet18_16xb64-coslr-800e_coco/'
                     'epoch_800.pth')
model = dict(
    backbone=dict(
        frozen_stages=0,
        init_cfg=dict(
            type='Pretrained',
            checkpoint=stage1_checkpoint,
            prefix='backbone.')))
