from .checkpoint_loading import (mmengine_checkpoint_globals,
                                 register_checkpoint_safe_globals)
from .runtime import (adapt_cfg_to_cpu, cpu_distributed_model_wrapper,
                      init_cpu_distributed, replace_sync_bn)

__all__ = [
    'mmengine_checkpoint_globals', 'register_checkpoint_safe_globals',
    'adapt_cfg_to_cpu', 'cpu_distributed_model_wrapper',
    'init_cpu_distributed', 'replace_sync_bn'
]
