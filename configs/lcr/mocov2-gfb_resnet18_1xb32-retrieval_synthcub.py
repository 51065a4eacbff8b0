# LCR's retrieval protocol (LeaveOneOutRetrieval) on the synthetic set's test
# split for a ResNet-18 MoCo v2 + GFB checkpoint: the whole 64 px test images
# (8 x 8 last stage).
#   python tools/test.py \
#     configs/lcr/mocov2-gfb_resnet18_1xb32-retrieval_synthcub.py CKPT
# A plain MoCo v2 checkpoint: add --cfg-options model.test_pooling=avg.
_base_ = './mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py'

test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(64, 64), backend='pillow'),
    dict(type='PackInputs'),
]
test_dataloader = dict(
    batch_size=32,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='CUBWithBoxes',
        data_root='data/synthetic_cub_bg',
        split='test',
        pipeline=test_pipeline))
test_evaluator = dict(type='LeaveOneOutRetrieval', topk=(1, 5))
test_cfg = dict()
