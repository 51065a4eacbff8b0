# LCR's retrieval protocol (section 4.2) for a MoCo v2 + GFB checkpoint on
# CUB-200-2011: every test image queries all other test images by cosine
# similarity of the GFB-weighted feature (Eq. 8); rank-1, rank-5 and mAP over
# the full ranking (LeaveOneOutRetrieval). Test images: resize the short edge
# to 256, centre crop 224 (LCR section 4.1).
#   python tools/test.py \
#     configs/lcr/mocov2-gfb_resnet50_8xb16-retrieval_cub.py CKPT
# A plain MoCo v2 checkpoint: add --cfg-options model.test_pooling=avg (its
# missing GFB weights are then reported and unused).
_base_ = './mocov2-gfb_resnet50_8xb16-coslr-100e_cub.py'

test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short', backend='pillow'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
test_dataloader = dict(
    batch_size=64,
    num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='CUBWithBoxes',
        data_root='data/CUB_200_2011',
        split='test',
        pipeline=test_pipeline))
test_evaluator = dict(type='LeaveOneOutRetrieval', topk=(1, 5))
test_cfg = dict()
