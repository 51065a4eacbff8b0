# BYOL + CVSA, ResNet-18, 400 epochs on CUB, with the alignment loss on
# ResNet stages 3 and 4 together (CVSA appendix A.2, l in {3, 4}; the losses
# of the two stages are summed). Otherwise as
# cvsa_resnet18_16xb64-coslr-400e_cub.py.
_base_ = './cvsa_resnet18_16xb64-coslr-400e_cub.py'

model = dict(
    align_stages=(3, 4),
    backbone=dict(out_indices=(2, 3)),
    dense_neck=dict(in_channels=[256, 512]),
    align_head=dict(predictor=dict(in_channels=[256, 256])))
