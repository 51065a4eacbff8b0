# CIFAR-10 pre-training data of ContrastiveCrop's small-set experiments
# (Peng et al., CVPR 2022, arXiv 2202.03278, Table 1 and section 4.2), with
# the views of the authors' small-set code: crop of scale (0.2, 1), flip,
# colour jitter (0.4, 0.4, 0.4, 0.1) with p 0.8, grayscale with p 0.2, no
# blur. The R-Crop column's RandomResizedCrop views are the training
# pipeline here; a C-Crop config takes `ccrop_train_pipeline` and adds
# `ccrop_hook` (alpha 0.1, k 0.1, boxes first used at epoch 100 and
# recomputed after epochs 100, 200, 300 and 400 of 500).
#
# mmpretrain's CIFAR datasets hold RGB arrays in memory: no
# LoadImageFromFile, grayscale weights in RGB order, `to_rgb=False`.
# Extract cifar-10-python.tar.gz into `data_root` (nothing is downloaded).
dataset_type = 'CIFAR10'
data_root = 'data/cifar10/'
data_preprocessor = dict(
    type='SelfSupDataPreprocessor',
    # the authors' (0.4914, 0.4822, 0.4465) / (0.2023, 0.1994, 0.2010)
    mean=[125.307, 122.961, 113.858],
    std=[51.587, 50.847, 51.255],
    to_rgb=False)

crop_size = 32
view_tail = [
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='RandomApply',
        transforms=[
            dict(
                type='ColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.1)
        ],
        prob=0.8),
    dict(
        type='RandomGrayscale',
        prob=0.2,
        keep_channels=True,
        channel_weights=(0.2989, 0.587, 0.114)),
]
rcrop_view_pipeline = [
    dict(
        type='RandomResizedCrop',
        scale=crop_size,
        crop_ratio_range=(0.2, 1.),
        backend='pillow'),
    *view_tail,
]
ccrop_view_pipeline = [
    dict(
        type='ContrastiveCrop',
        scale=crop_size,
        crop_ratio_range=(0.2, 1.),
        backend='pillow',
        alpha=0.1),
    *view_tail,
]
train_pipeline = [
    dict(type='MultiView', num_views=2, transforms=[rcrop_view_pipeline]),
    dict(type='PackInputs')
]
ccrop_train_pipeline = [
    dict(type='MultiView', num_views=2, transforms=[ccrop_view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    drop_last=True,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        download=False,
        pipeline=train_pipeline))

# the box update sees each training image once, at its own size (the
# authors' `eval_train` transform): the in-memory image is packed as it is
ccrop_hook = dict(
    type='ContrastiveCropHook',
    warmup_epochs=100,
    interval=100,
    k=0.1,
    pipeline=[dict(type='PackInputs')])
