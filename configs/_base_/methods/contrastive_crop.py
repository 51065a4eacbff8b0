# ContrastiveCrop's delta on a host's pre-training config: "Crafting Better
# Contrastive Views for Siamese Representation Learning" (Peng et al., CVPR
# 2022, arXiv 2202.03278), its ImageNet setting (Sec. 4.1): Beta(0.6, 0.6)
# centres inside the boxes, which the hook recomputes from the heatmaps
# (threshold k 0.1) every 10 epochs from epoch 20.
#
# A host x dataset config lists this file after its host, puts
# `contrastive_crop` in place of the host's RandomResizedCrop (the same crop
# arguments: 224 px, ratio range (0.2, 1)) and adds `ccrop_hook` to its
# custom hooks, overriding what differs.
contrastive_crop = dict(
    type='ContrastiveCrop',
    scale=224,
    crop_ratio_range=(0.2, 1.),
    backend='pillow',
    alpha=0.6)
ccrop_hook = dict(
    type='ContrastiveCropHook',
    warmup_epochs=20,
    interval=10,
    k=0.1,
    img_size=224)
