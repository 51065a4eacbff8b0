# DiLo (AAAI 2021) Table 2a ablation with its own learner (NPID, ResNet-50,
# ImageNet-1k): BASNet masks, precomputed by the BASNet release into
# data/imagenet/dilo_masks_basnet (mirroring train/; no weights here), 62.9
# linear top-1 (the paper's number; the main config, RBD-style, gives 59.3).
_base_ = './npid-dilo_resnet50_8xb32-steplr-200e_in1k.py'

train_pipeline = [
    _base_.train_pipeline[0],
    dict(
        type='LoadSaliencyMask',
        source=dict(
            kind='mask_file',
            root='{data_root}/dilo_masks_basnet',
            img_root='{data_root}/train')), *_base_.train_pipeline[2:]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
# mmpretrain's ImageNet does not bind itself: the hook fills {data_root}
custom_hooks = [dict(type='BindTrainSetHook')]
