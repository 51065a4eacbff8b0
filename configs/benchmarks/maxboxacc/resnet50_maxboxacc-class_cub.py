# MaxBoxAcc on CUB-200-2011 from the class activation map (Zhou et al. 2016)
# of the ground-truth class, after a linear probe: give the checkpoint that
# configs/benchmarks/linear/resnet50_1xb16-linear-coslr-50e_cub.py saved
# (backbone and head).
#   python tools/test.py \
#     configs/benchmarks/maxboxacc/resnet50_maxboxacc-class_cub.py LINEAR_CKPT
_base_ = './resnet50_maxboxacc-activation_cub.py'

model = dict(cam_type='class', cam_class='gt')
