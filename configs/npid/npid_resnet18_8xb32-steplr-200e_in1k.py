# NPID on ImageNet-1k with ResNet-18: DiLo (AAAI 2021, arXiv 2004.06638)
# Table 3, ResNet-18 baseline row, 45.9 linear top-1 (the paper's number).
# Differences from npid_resnet50_8xb32-steplr-200e_in1k.py: the backbone
# and the embedding's input width.
_base_ = './npid_resnet50_8xb32-steplr-200e_in1k.py'

model = dict(backbone=dict(depth=18), neck=dict(in_channels=512))
