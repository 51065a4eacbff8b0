# CVSA's SaliencySwap view, the paper's setting: "Cross-View Saliency
# Alignment for Self-Supervised Fine-Grained Representation Learning"
# (AAAI 2022), Sec. 4.1 and A.2: lambda 0.5 (crop_ratio_range (0.5, 1)),
# backgrounds from the training set itself with their boxes replaced
# (mode I), ground-truth boxes, 224 px.
#
# A host x dataset config lists this file after its host and puts
# `saliency_swap` first in the host's view_pipeline instead of the
# RandomResizedCrop (MultiViewWithMask and algorithm_keys=['saliency_mask']
# when the model uses the masks, as CVSA does).

# mode I: the training set itself, whatever its data_root
background_dataset = 'train_set'
saliency_swap = dict(
    type='SaliencySwap',
    scale=224,
    crop_ratio_range=(0.5, 1.),
    backgrounds=[dict(dataset=background_dataset, mode='replace_box')],
    box_source=dict(kind='gt'))
