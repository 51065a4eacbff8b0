# Copyright (c) OpenMMLab. All rights reserved.
"""The method table: one row per method the project compares (and per
baseline it is compared with), read by the benchmark, the README's picture
tool and the tests, so that adding a method is one row here (see the
README's "Adding a method")."""
from typing import NamedTuple, Optional, Tuple


class Method(NamedTuple):
    """One method and the configs that stand for it.

    Attributes:
        name (str): the name the benchmark's tables print.
        key (str): a short id (the README figures' names).
        algorithm (str): the registry type of the model its configs build.
        baseline (str, optional): the ``name`` of the method it is measured
            against; None for a baseline.
        synthetic_config (str): its config of the CPU localisation regime
            (the synthetic CUB-format set), relative to the repository root.
        config (str, optional): its paper-scale config (ResNet-50 on CUB),
            whose step time the benchmark measures on a GPU; None where there
            is none.
        quality_target (str, optional): the benchmark's quality target:
            ``'learns'`` (a baseline: kNN top-1 >= random init + 5 points),
            ``'strong'`` (kNN top-1 and rank-1 >= the baseline + 5 points
            and > twice the larger seed std), ``'gain'`` (> the larger seed
            std) or ``'ceiling'`` (>= the best self-supervised model + 20);
            None: not in the quality section.
        step_time (bool): whether the benchmark times its training step.
    """
    name: str
    key: str
    algorithm: str
    baseline: Optional[str]
    synthetic_config: str
    config: Optional[str]
    quality_target: Optional[str]
    step_time: bool


SUPERVISED = 'supervised (ceiling)'

# paths relative to the repository root
METHODS: Tuple[Method, ...] = (
    Method(
        name='BYOL',
        key='byol',
        algorithm='BYOL',
        baseline=None,
        synthetic_config='configs/byol/'
        'byol_resnet18_1xb32-coslr-100e_synthcub.py',
        config='configs/byol/'
        'byol_resnet50_16xb64-coslr-800e_cub.py',
        quality_target='learns',
        step_time=True),
    Method(
        name='BYOL + CVSA',
        key='cvsa',
        algorithm='CVSA',
        baseline='BYOL',
        synthetic_config='configs/cvsa/'
        'cvsa_resnet18_1xb32-coslr-100e_synthcub.py',
        config='configs/cvsa/'
        'cvsa_resnet50_16xb64-coslr-800e_cub.py',
        quality_target='strong',
        step_time=True),
    Method(
        name='BYOL + DiLo',
        key='dilo',
        algorithm='BYOL',
        baseline='BYOL',
        synthetic_config='configs/dilo/'
        'byol-dilo_resnet18_1xb32-coslr-100e_synthcub.py',
        config='configs/dilo/'
        'byol-dilo_resnet50_16xb64-coslr-800e_cub.py',
        quality_target='strong',
        step_time=False),
    Method(
        name='MoCo v2',
        key='mocov2',
        algorithm='MoCo',
        baseline=None,
        synthetic_config='configs/mocov2/'
        'mocov2_resnet18_1xb32-coslr-100e_synthcub.py',
        config='configs/mocov2/'
        'mocov2_resnet50_8xb16-coslr-100e_cub.py',
        quality_target='learns',
        step_time=True),
    Method(
        name='MoCo v2 + GFB',
        key='mocov2-gfb',
        algorithm='MoCoGFB',
        baseline='MoCo v2',
        synthetic_config='configs/lcr/'
        'mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py',
        config='configs/lcr/'
        'mocov2-gfb_resnet50_8xb16-coslr-100e_cub.py',
        quality_target='gain',
        step_time=True),
    Method(
        name='MoCo v2 + ContrastiveCrop',
        key='ccrop',
        algorithm='MoCo',
        baseline='MoCo v2',
        synthetic_config='configs/contrastive_crop/'
        'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py',
        config='configs/contrastive_crop/'
        'mocov2-ccrop_resnet50_8xb16-coslr-100e_cub.py',
        quality_target='gain',
        step_time=False),
    Method(
        name='BYOL + GFB',
        key='gfb',
        algorithm='BYOLGFB',
        baseline='BYOL',
        synthetic_config='configs/lcr/'
        'byol-gfb_resnet18_1xb32-coslr-100e_synthcub.py',
        config='configs/lcr/'
        'byol-gfb_resnet50_8xb16-coslr-100e_cub.py',
        quality_target=None,
        step_time=True),
    Method(
        name=SUPERVISED,
        key='supervised',
        algorithm='ImageClassifier',
        baseline=None,
        synthetic_config='configs/benchmarks/supervised/'
        'supervised_resnet18-cifar_1xb32-coslr-100e_synthcub.py',
        config=None,
        quality_target='ceiling',
        step_time=False),
)


def get_method(name: str) -> Method:
    """The row of ``name`` (a :attr:`Method.name` or :attr:`Method.key`)."""
    for method in METHODS:
        if name in (method.name, method.key):
            return method
    raise KeyError(f'no method {name!r} in the method table; known: '
                   f'{[m.key for m in METHODS]}')
