# DiLo (AAAI 2021) Table 3, ResNet-18 "Ours BASNet": 52.3 linear top-1 (the
# paper's number). Differences from
# npid-dilo_resnet18_8xb32-steplr-200e_in1k.py: BASNet masks precomputed into
# data/imagenet/dilo_masks_basnet.
_base_ = './npid-dilo_resnet18_8xb32-steplr-200e_in1k.py'

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
