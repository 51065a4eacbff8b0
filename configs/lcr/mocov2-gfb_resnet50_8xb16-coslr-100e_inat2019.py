# LCR "Ours" (MoCo v2 + GFB) on iNaturalist 2019 (LCR Fig. 3), 268,243
# train + val images. There is no iNat2019 dataset class: this reads
# mmpretrain's CustomDataset from an annotation list, one
# "<image path relative to data_prefix> <category id>" per line, made from
# the release's train2019.json / val2019.json (see configs/lcr/README.md).
_base_ = './mocov2-gfb_resnet50_8xb16-coslr-100e_cub.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CustomDataset',
        data_root='data/inat2019',
        ann_file='meta/trainval2019.txt',
        data_prefix='',
        pipeline=_base_.train_pipeline))
