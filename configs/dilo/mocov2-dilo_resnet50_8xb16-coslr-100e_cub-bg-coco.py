# DiLo Table 2c ablation on CUB with MoCo v2 (see README.md): backgrounds
# cropped from another dataset's images. The paper took ImageNet crops without
# saliency response; here random cover crops of COCO train2017 images.
_base_ = './mocov2-dilo_resnet50_8xb16-coslr-100e_cub.py'

copy_paste = dict(
    _base_.copy_paste,
    background=dict(
        type='dataset',
        dataset=dict(
            type='COCOImages', data_root='data/coco',
            data_prefix='train2017')))
view_pipeline = [copy_paste, *_base_.view_pipeline[1:]]
train_pipeline = [
    _base_.train_pipeline[0], _base_.train_pipeline[1],
    dict(type='MultiView', num_views=2, transforms=[view_pipeline]),
    _base_.train_pipeline[3]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
