"""mmfgssl: localisation-aware self-supervised pre-training for fine-grained
recognition, as an mmpretrain plugin.

Importing the package (configs do it with ``custom_imports``) registers its
datasets, transforms, models, hooks and metrics into mmpretrain's registries
and allow-lists mmengine's checkpoint contents for ``torch.load``, for local
files and for checkpoints given by address (``http(s)://``, ``torchvision://``,
``open-mmlab://``, ``mmcls://``) alike.
"""
import warnings

# The default set-up installs mmcv-lite (no compiled ops; pre-training uses
# none). mmcv then warns on import that a deformable attention op is missing;
# the detection tools say what to install when the ops are needed
# (utils/detection_stack.py).
warnings.filterwarnings(
    'ignore', message='Fail to import ``MultiScaleDeformableAttention``')

import mmcv  # noqa: E402
import mmengine  # noqa: E402
import mmpretrain  # noqa: E402
from mmengine.utils import digit_version  # noqa: E402

from .version import __version__  # noqa: E402

# (package, installed version, minimum inclusive, maximum exclusive); mmcv's
# range is requirements/mminstall.txt's: mmdet 3.3 (detection transfer)
# refuses mmcv >= 2.2
_REQUIREMENTS = [
    ('mmengine', mmengine.__version__, '0.10.7', '1.0.0'),
    ('mmcv', mmcv.__version__, '2.0.0', '2.2.0'),
    ('mmpretrain', mmpretrain.__version__, '1.2.0', '1.3.0'),
]


def _check_versions():
    for name, version, low, high in _REQUIREMENTS:
        if not digit_version(low) <= digit_version(version) < digit_version(
                high):
            raise ImportError(
                f'mmfgssl {__version__} needs {low} <= {name} < {high}, but '
                f'{name} {version} is installed. On a CPU machine run '
                f'`bash tools/setup_env.sh`; on a GPU cluster run '
                f'`pip install "{name}>={low},<{high}"` (see README, '
                f'"Installation").')


_check_versions()

# registers the datasets, transforms, models, hooks and metrics into
# mmpretrain's registries
from . import datasets, engine, evaluation, models, utils  # noqa: E402,F401

utils.register_checkpoint_safe_globals()
utils.register_safe_url_loaders()

__all__ = ['__version__']
