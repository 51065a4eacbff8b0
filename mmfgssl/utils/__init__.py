from .benchmark import (PeakMemory, build_train_step, mean_and_std,
                        time_dataset_items, time_train_steps)
from .checkpoint_convert import (PUBLISHED_CHECKPOINT_KEYS,
                                 checkpoint_state_dict, extract_backbone,
                                 load_backbone, mmpretrain_to_torchvision,
                                 publish_checkpoint, resnet_arch,
                                 save_published, sha256sum, top_level_prefixes)
from .checkpoint_loading import (URL_SCHEMES, history_buffer_getattr,
                                 load_url_weights_only,
                                 mmengine_checkpoint_globals,
                                 register_checkpoint_safe_globals,
                                 register_safe_url_loaders)
from .checks import check_choice, check_data_root
from .cli import (LAUNCHERS, add_cfg_options_argument, add_converter_arguments,
                  add_launcher_arguments, add_train_arguments, build_runner,
                  merge_train_args, parse_with_local_rank, set_work_dir)
from .config_options import merge_options_keeping_test_with_val
from .detection_stack import (DETECTION_SETUP, check_detection_stack,
                              detection_stack_problems, load_config)
from .fallback_log import warn_on_doubling
from .method_table import METHODS, SUPERVISED, Method, get_method
from .plain_pickle import PlainUnpickler, load_plain_pickle
from .runtime import (adapt_cfg_to_cpu, cpu_distributed_model_wrapper,
                      init_cpu_distributed, replace_sync_bn)
from .train_schedule import (check_num_classes, check_train_schedule,
                             iterations_per_epoch, num_classes_problems,
                             train_schedule_problems)

__all__ = [
    'PeakMemory', 'build_train_step', 'mean_and_std', 'time_dataset_items',
    'time_train_steps', 'history_buffer_getattr',
    'mmengine_checkpoint_globals', 'register_checkpoint_safe_globals',
    'adapt_cfg_to_cpu', 'cpu_distributed_model_wrapper',
    'init_cpu_distributed', 'replace_sync_bn', 'PUBLISHED_CHECKPOINT_KEYS',
    'checkpoint_state_dict', 'extract_backbone', 'load_backbone',
    'mmpretrain_to_torchvision', 'publish_checkpoint', 'resnet_arch',
    'save_published', 'sha256sum', 'top_level_prefixes', 'DETECTION_SETUP',
    'check_detection_stack', 'detection_stack_problems', 'load_config',
    'URL_SCHEMES', 'load_url_weights_only', 'register_safe_url_loaders',
    'PlainUnpickler', 'load_plain_pickle', 'check_train_schedule',
    'iterations_per_epoch', 'train_schedule_problems', 'check_num_classes',
    'num_classes_problems', 'merge_options_keeping_test_with_val',
    'check_choice', 'check_data_root', 'warn_on_doubling', 'LAUNCHERS',
    'add_cfg_options_argument', 'add_launcher_arguments',
    'add_train_arguments', 'parse_with_local_rank', 'set_work_dir',
    'merge_train_args', 'build_runner', 'add_converter_arguments', 'Method',
    'METHODS', 'SUPERVISED', 'get_method'
]
