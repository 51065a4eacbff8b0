"""Command-line config options that keep a config's evaluation sets
together.

Benchmark configs write ``test_dataloader = val_dataloader`` (and
``test_evaluator = val_evaluator``): one loader for both. The assignment is
a copy made when the file is parsed, so ``--cfg-options
val_dataloader.dataset.data_root=/other/set`` moved the validation set only
and ``tools/test.py`` still reported the accuracy on the original one.
"""
from mmengine.logging import print_log

__all__ = ['merge_options_keeping_test_with_val']

PAIRS = (('val_dataloader', 'test_dataloader'), ('val_evaluator',
                                                 'test_evaluator'))


def merge_options_keeping_test_with_val(cfg, options):
    """Merge ``options`` into ``cfg``; an option on ``val_*`` also goes to
    ``test_*`` where the config has the two equal and no option names the
    ``test_*`` one.

    Args:
        cfg (Config): The loaded config (changed in place).
        options (dict): ``--cfg-options`` (dotted keys).

    Returns:
        list[str]: The keys copied to ``test_*`` (also logged).
    """
    options = dict(options or {})
    copied = []
    for val, test in PAIRS:
        if cfg.get(val) is None or cfg.get(val) != cfg.get(test):
            continue
        if any(k == test or k.startswith(test + '.') for k in options):
            continue
        for key in list(options):
            if key == val or key.startswith(val + '.'):
                twin = test + key[len(val):]
                options[twin] = options[key]
                copied.append(twin)
    cfg.merge_from_dict(options)
    if copied:
        print_log(
            'test_* follows val_* (one loader / evaluator in the config): '
            'also set ' + ', '.join(copied),
            logger='current')
    return copied
