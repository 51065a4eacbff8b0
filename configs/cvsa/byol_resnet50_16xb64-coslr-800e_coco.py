# Stage 1 of CVSA's dual-stage pre-training (Sec. 3.2, 5.1, Table 3): plain
# BYOL on COCO train2017 images (no labels), with the settings of the BYOL
# baseline config (batch 1024, LARS lr 0.6 x 1024 / 256, MoCo v2
# augmentations), 800 epochs: section 3.1 pre-trains every non-ImageNet set
# for 800 epochs.
_base_ = '../byol/byol_resnet50_16xb64-coslr-800e_cub.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='COCOImages',
        data_root='data/coco',
        data_prefix='train2017',
        pipeline=_base_.train_pipeline))
