# DiLo Table 2a ablation on CUB with MoCo v2 (see README.md): the ground-truth
# masks of CUB's segmentation release (segmentations/ next to images/, majority
# vote of the annotators), the upper bound that plays the role of the
# supervised BASNet row.
_base_ = './mocov2-dilo_resnet50_8xb16-coslr-100e_cub.py'

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
