# DiLo's delta on a host's pre-training config: "Distilling Localization for
# Self-Supervised Representation Learning" (Zhao et al., AAAI 2021, arXiv
# 2004.06638), its final setting (Sec. 6.3): RBD-style saliency binarised with
# Otsu's rule, random gray backgrounds, paste probability 0.5, no blending.
#
# A host x dataset config lists this file after its host and splices the two
# steps into the host's [LoadImageFromFile, MultiView, PackInputs] pipeline:
# the mask once per image, before the views (every view pastes the same
# mask), and the copy-and-paste first in each view.
copy_paste = dict(
    type='CopyPasteBackground',
    prob=0.5,
    background=dict(type='gray', level_range=(0, 255)),
    blending='none')
load_saliency = dict(
    type='LoadSaliencyMask',
    source=dict(kind='detector', method='background_prior'))
