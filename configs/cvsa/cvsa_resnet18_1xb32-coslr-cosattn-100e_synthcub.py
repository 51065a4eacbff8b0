# The synthetic CVSA config with cosine attention and temperature 0.1 (not in
# the paper): the attention ablation of configs/cvsa/README.md.
_base_ = './cvsa_resnet18_1xb32-coslr-100e_synthcub.py'

model = dict(align_head=dict(attention='cosine', temperature=0.1))
