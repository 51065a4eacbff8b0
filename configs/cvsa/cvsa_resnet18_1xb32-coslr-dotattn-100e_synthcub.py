# The synthetic CVSA config with the paper's literal Eq. 3 (the unnormalised
# dot product, no 1/sqrt(d)): the attention ablation of configs/cvsa/README.md.
_base_ = './cvsa_resnet18_1xb32-coslr-100e_synthcub.py'

model = dict(align_head=dict(attention='dot'))
