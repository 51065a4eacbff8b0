# MaxBoxAcc (Choe et al., CVPR 2020; CVSA, AAAI 2022, Table 1) of any
# pre-trained ResNet-50 on the CUB-200-2011 test split, from the label-free
# activation map of the last stage (channel sum, CAMClassifier). Test images
# are resized to 224 x 224 without cropping, the boxes with them; threshold
# grid 0:0.01:1, largest connected region, IoU >= 0.5.
#   python tools/test.py \
#     configs/benchmarks/maxboxacc/resnet50_maxboxacc-activation_cub.py CKPT
# (tools/test.py loads the checkpoint's "backbone." weights; the classifier,
# unused here, stays random.)
_base_ = '../linear/resnet50_1xb16-linear-coslr-50e_cub.py'

model = dict(type='CAMClassifier', cam_type='activation')
loc_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(224, 224), backend='pillow'),
    dict(type='PackInputs', algorithm_keys=('gt_bboxes', )),
]
test_dataloader = dict(dataset=dict(pipeline=loc_pipeline))
test_evaluator = dict(_delete_=True, type='MaxBoxAcc', cam_curve_interval=0.01)
