# Stage 1 of CVSA's frozen-stage ablation (Fig. 4b): plain BYOL with
# ResNet-18 on COCO train2017 images, 800 epochs as every non-ImageNet
# pre-training of the paper (section 3.1). Otherwise as the ResNet-50 COCO
# stage 1, byol_resnet50_16xb64-coslr-800e_coco.py.
_base_ = './byol_resnet50_16xb64-coslr-800e_coco.py'

model = dict(backbone=dict(depth=18), neck=dict(in_channels=512))
