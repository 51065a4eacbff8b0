# Stage 1 of CVSA's dual-stage pre-training on ImageNet (Table 4): BYOL as
# mmpretrain ships it (its config, unchanged, loaded with the plugin so the
# stage-2 commands of configs/cvsa/README.md run from this repository). The
# paper follows BYOL's own setup; mmpretrain's released 200-epoch recipe is
# the closest available.
_base_ = 'mmpretrain::byol/byol_resnet50_16xb256-coslr-200e_in1k.py'

custom_imports = dict(imports=['mmfgssl'], allow_failed_imports=False)
# mmpretrain:: bases inject `_scope_` into this dict, which default_collate()
# does not accept: start it afresh.
train_dataloader = dict(collate_fn=dict(_delete_=True, type='default_collate'))
