# BYOL on the synthetic set with kNN top-1 logged during pre-training
# (KNNEvalHook, logged as `knn_top1`): every 10 epochs the frozen backbone's
# pooled features of the test split vote by their 20 nearest train images.
# Add the same `custom_hooks` entry to any pre-training config.
_base_ = '../../byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'

knn_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(64, 64), backend='pillow'),
    dict(type='PackInputs'),
]
knn_loader = dict(
    batch_size=32,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        # no data_root: KNNEvalHook takes the training set's
        type='CUBWithBoxes',
        split='train',
        pipeline=knn_pipeline))
custom_hooks = [
    dict(
        type='KNNEvalHook',
        train_dataloader=knn_loader,
        val_dataloader=dict(
            knn_loader, dataset=dict(knn_loader['dataset'], split='test')),
        interval=10,
        k=20,
        temperature=0.07)
]
