# NPID + DiLo on the synthetic background-shortcut set, one CPU process:
# configs/npid/npid_resnet18_1xb32-steplr-100e_synthcub.py plus DiLo's
# copy-and-paste (RBD-style masks, gray backgrounds, p 0.5, no blending) first
# in the view pipeline, as npid-dilo_resnet50_8xb32-steplr-200e_in1k.py.
_base_ = [
    '../npid/npid_resnet18_1xb32-steplr-100e_synthcub.py',
    '../_base_/methods/dilo.py'
]

view_pipeline = [_base_.copy_paste, *_base_.view_pipeline]
train_pipeline = [
    dict(type='LoadImageFromFile'), _base_.load_saliency,
    dict(type='MultiView', num_views=1, transforms=[view_pipeline]),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
