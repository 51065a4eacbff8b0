# MaxBoxAcc of the activation map of any ResNet-18 pre-trained on the
# synthetic set (see resnet50_maxboxacc-activation_cub.py): 64 px test images
# kept at their size.
_base_ = '../linear/resnet18_1xb16-linear-coslr-50e_synthcub.py'

model = dict(type='CAMClassifier', cam_type='activation')
loc_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(64, 64), backend='pillow'),
    dict(type='PackInputs', algorithm_keys=('gt_bboxes', )),
]
test_dataloader = dict(dataset=dict(pipeline=loc_pipeline))
test_evaluator = dict(_delete_=True, type='MaxBoxAcc', cam_curve_interval=0.01)
