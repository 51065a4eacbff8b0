"""The command line that ``tools/train.py``, ``tools/test.py``, the detection
launcher ``tools/benchmarks/mmdetection/train.py`` and the analysis tools
share: their common arguments, the merge of the training options into a
config, and the Runner built from it.

The options and their meaning are mmpretrain's ``tools/train.py`` /
``tools/test.py`` ones.
"""
import os
import os.path as osp
from copy import deepcopy

from mmengine.config import ConfigDict, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from .config_options import merge_options_keeping_test_with_val

__all__ = [
    'LAUNCHERS', 'add_cfg_options_argument', 'add_launcher_arguments',
    'add_train_arguments', 'parse_with_local_rank', 'set_work_dir',
    'merge_train_args', 'build_runner', 'add_converter_arguments'
]

LAUNCHERS = ('none', 'pytorch', 'slurm', 'mpi')

CFG_OPTIONS_HELP = 'override config entries, as key=value pairs'


def add_cfg_options_argument(parser, help=CFG_OPTIONS_HELP):
    """``--cfg-options KEY=VALUE ...`` (parsed by mmengine's DictAction)."""
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help=help)
    return parser


def add_launcher_arguments(parser):
    """``--launcher`` and the ``--local_rank`` that older launchers pass."""
    parser.add_argument(
        '--launcher', choices=LAUNCHERS, default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser


def add_train_arguments(parser):
    """The options of ``tools/train.py`` after the config."""
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint; without a path, from the latest '
        'checkpoint in the work directory')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='enable automatic mixed precision training')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual total batch size over '
        '`auto_scale_lr.base_batch_size`')
    parser.add_argument(
        '--no-pin-memory',
        action='store_true',
        help='disable pin_memory in the dataloaders')
    parser.add_argument(
        '--no-persistent-workers',
        action='store_true',
        help='disable persistent_workers in the dataloaders')
    add_cfg_options_argument(
        parser,
        help='override config entries, as key=value pairs (e.g. '
        'train_cfg.max_epochs=2 "model.backbone.frozen_stages=2")')
    return add_launcher_arguments(parser)


def parse_with_local_rank(parser, argv=None):
    """Parse ``argv``; export ``--local_rank`` as ``LOCAL_RANK`` unless the
    launcher has set it."""
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def set_work_dir(cfg, args):
    """``cfg.work_dir``: ``--work-dir``, else the config's own, else
    ``./work_dirs/{config name}``."""
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])


def merge_train_args(cfg, args):
    """Merge the options of :func:`add_train_arguments` into ``cfg``.

    ``--cfg-options`` on ``val_*`` also moves ``test_*`` where the config has
    them as one loader (:func:`merge_options_keeping_test_with_val`). The
    dataloaders get mmpretrain's defaults (pinned memory, persistent workers,
    ``default_collate``) where the config does not set them; persistent
    workers are off with ``num_workers=0``.

    Returns:
        Config: ``cfg``, changed in place.
    """
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    cfg.launcher = args.launcher
    set_work_dir(cfg, args)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if args.cfg_options is not None:
        merge_options_keeping_test_with_val(cfg, args.cfg_options)

    defaults = ConfigDict(
        pin_memory=True,
        persistent_workers=True,
        collate_fn=dict(type='default_collate'))
    for field in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(field, None) is None:
            continue
        loader = deepcopy(defaults)
        loader.update(cfg[field])
        if args.no_pin_memory:
            loader.pin_memory = False
        if args.no_persistent_workers or loader.get('num_workers', 0) == 0:
            loader.persistent_workers = False
        cfg[field] = loader
    return cfg


def build_runner(cfg):
    """``Runner.from_cfg``, or the config's ``runner_type`` when it names
    one."""
    if 'runner_type' not in cfg:
        return Runner.from_cfg(cfg)
    return RUNNERS.build(cfg)


def add_converter_arguments(parser,
                            out_help='output file (.pth)',
                            with_prefix=True):
    """``checkpoint out_file [--prefix backbone.]``: the arguments of the
    checkpoint converters in ``tools/model_converters/``."""
    parser.add_argument('checkpoint', help='input checkpoint (.pth)')
    parser.add_argument('out_file', help=out_help)
    if with_prefix:
        parser.add_argument(
            '--prefix',
            default='backbone.',
            help='key prefix of the backbone (default: backbone.)')
    return parser
