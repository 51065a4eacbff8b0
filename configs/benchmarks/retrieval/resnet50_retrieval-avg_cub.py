# Leave-one-out retrieval (LCR, CVPR 2023, section 4.2: rank-1, rank-5 and
# mAP over the full ranking, cosine similarity, LeaveOneOutRetrieval) of ANY
# pre-trained ResNet-50 checkpoint on the CUB-200-2011 test split, with the
# globally averaged last-stage feature. The model is LCR's MoCoGFB evaluated
# with test_pooling='avg': only its backbone is used, so a BYOL / MoCo v2 /
# CVSA / ContrastiveCrop / DiLo checkpoint loads (its "backbone." keys; other
# keys are reported as unused). For a GFB checkpoint use the "-gfb" config.
#   python tools/test.py \
#     configs/benchmarks/retrieval/resnet50_retrieval-avg_cub.py CKPT
_base_ = '../../lcr/mocov2-gfb_resnet50_8xb16-retrieval_cub.py'

model = dict(test_pooling='avg')
