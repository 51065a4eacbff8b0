# DiLo Table 2a ablation on CUB with MoCo v2 (see README.md): saliency from the
# absorbing-Markov-chain saliency, MC (Jiang et al., ICCV 2013) detector of
# mmfgssl.datasets.saliency, binarised with Otsu's rule.
_base_ = './mocov2-dilo_resnet50_8xb16-coslr-100e_cub.py'

train_pipeline = [
    _base_.train_pipeline[0],
    dict(
        type='LoadSaliencyMask', source=dict(kind='detector',
                                             method='markov')),
    *_base_.train_pipeline[2:]
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
