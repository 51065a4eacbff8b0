# The synthetic MoCo v2 + ContrastiveCrop config with an adaptive threshold
# (not in the paper): a box around the heatmap positions above the image's
# own heatmap mean (threshold_mode='mean', k=1) instead of the fixed k=0.1 of
# Eq. 2, which gives whole-image boxes on heatmaps that are high everywhere.
_base_ = './mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py'

custom_hooks = [dict(_base_.custom_hooks[0], threshold_mode='mean', k=1.0)]
