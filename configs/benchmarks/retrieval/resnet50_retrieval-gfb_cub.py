# Leave-one-out retrieval (LCR section 4.2) on CUB-200-2011 with the
# GFB-weighted feature (LCR Eq. 8) of a checkpoint that has a GFB
# (MoCoGFB / BYOLGFB, configs/lcr).
#   python tools/test.py \
#     configs/benchmarks/retrieval/resnet50_retrieval-gfb_cub.py CKPT
_base_ = '../../lcr/mocov2-gfb_resnet50_8xb16-retrieval_cub.py'

model = dict(test_pooling='weighted')
