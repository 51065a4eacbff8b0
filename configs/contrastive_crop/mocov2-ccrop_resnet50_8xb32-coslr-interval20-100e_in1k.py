# MoCo v2 + ContrastiveCrop on ImageNet-1K with the box update interval of
# the authors' public code (configs/IN1K/mocov2_ccrop.py of
# xyupeng/ContrastiveCrop: warm-up 20, then every 20 epochs) instead of the
# paper's every 10 epochs (section 4.2). Everything else as
# mocov2-ccrop_resnet50_8xb32-coslr-100e_in1k.py.
_base_ = './mocov2-ccrop_resnet50_8xb32-coslr-100e_in1k.py'

custom_hooks = [dict(_base_.ccrop_hook, interval=20)]
