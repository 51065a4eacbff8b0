"""Detection transfer needs more than pre-training: mmdet and mmcv's compiled
ops (nms, RoIAlign). ``tools/setup_env.sh`` installs them only with
``--detection`` (pre-training runs on mmcv-lite), so the detection entry
points check for them first and name the command that installs them.
"""
from mmengine.config import Config

__all__ = [
    'DETECTION_SETUP', 'detection_stack_problems', 'check_detection_stack',
    'load_config'
]

#: The command that installs the detection stack into the repository's venv.
DETECTION_SETUP = 'bash tools/setup_env.sh --detection'


def detection_stack_problems():
    """What is missing for detection transfer.

    Returns:
        list[str]: One line per missing part (mmdet, mmcv's compiled ops);
        empty when both import.
    """
    problems = []
    try:
        import mmdet  # noqa: F401
    except ImportError as e:
        problems.append(f'mmdet does not import ({e})')
    try:
        import mmcv.ops  # noqa: F401
    except ImportError as e:
        problems.append("mmcv's compiled ops do not import (mmcv-lite, or an "
                        f'mmcv built without ops, is installed: {e})')
    return problems


def check_detection_stack(what='detection transfer'):
    """Raise when mmdet or mmcv's compiled ops are missing.

    Args:
        what (str): What needs them, for the message.

    Raises:
        RuntimeError: Naming what is missing and the set-up command.
    """
    problems = detection_stack_problems()
    if problems:
        raise RuntimeError(
            f'{what} needs mmdet and mmcv compiled with its ops: ' +
            '; '.join(problems) + f'. Install them with `{DETECTION_SETUP}` '
            '(builds mmcv 2.1.0 once, about 10-15 minutes on 2 cores; on a '
            'GPU cluster see the README, "Installation").')


def load_config(path):
    """``Config.fromfile(path)`` that names the detection set-up command when
    ``path`` is an mmdet config (it inherits ``mmdet::`` configs or has
    ``default_scope = 'mmdet'``) and the detection stack is missing.

    Args:
        path (str): The config file.

    Returns:
        Config: The loaded config.
    """
    try:
        cfg = Config.fromfile(path)
    except ModuleNotFoundError as e:
        if 'mmdet' in str(e):
            check_detection_stack(f'the mmdet config {path}')
        raise
    if cfg.get('default_scope') == 'mmdet':
        check_detection_stack(f'the mmdet config {path}')
    return cfg
