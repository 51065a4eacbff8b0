# NPID + DiLo with ResNet-18: DiLo (AAAI 2021) Table 3, ResNet-18 "Ours RBD",
# 48.8 linear top-1 (baseline 45.9; the paper's numbers). Differences from
# npid-dilo_resnet50_8xb32-steplr-200e_in1k.py: the backbone and the
# embedding's input width.
_base_ = './npid-dilo_resnet50_8xb32-steplr-200e_in1k.py'

model = dict(backbone=dict(depth=18), neck=dict(in_channels=512))
