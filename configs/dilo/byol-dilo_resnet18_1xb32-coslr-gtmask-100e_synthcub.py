# BYOL + DiLo on the synthetic set with its ground-truth masks
# (segmentations/, CUB's segmentation-release layout) instead of the
# RBD-style detector: the "better saliency" end of DiLo's Table 2a.
_base_ = './byol-dilo_resnet18_1xb32-coslr-100e_synthcub.py'

train_pipeline = [
    _base_.train_pipeline[0],
    dict(
        type='LoadSaliencyMask',
        source=dict(
            kind='mask_file',
            root='{data_root}/segmentations',
            img_root='{data_root}/images')), *_base_.train_pipeline[2:]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
