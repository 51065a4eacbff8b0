"""Argument checks shared by the pure functions and the modules that wrap
them, so that each rule and its error message are written once."""
from typing import Any, Collection


def check_choice(name: str, value: Any, choices: Collection) -> None:
    """Raise a ``ValueError`` naming ``name`` unless ``value`` is a choice.

    Args:
        name (str): What the error names: the config key
            (``'ContrastiveCrop.placement'``) or the argument.
        value: The value given.
        choices (Collection): The accepted values; a set or dict is listed
            sorted, a sequence in its own order.

    Raises:
        ValueError: ``"{name} must be one of [...], got {value!r}"``.
    """
    if value in choices:
        return
    listed = sorted(choices) if isinstance(choices, (set, frozenset,
                                                     dict)) else list(choices)
    raise ValueError(f'{name} must be one of {listed}, got {value!r}')


def check_data_root(owner: str, data_root: str, expected: str) -> None:
    """Raise a ``ValueError`` when a dataset is built without ``data_root``.

    Args:
        owner (str): The dataset class, for the message.
        data_root (str): The value given.
        expected (str): What ``data_root`` should be, e.g. ``'the
            tiny-imagenet-200 folder'``.
    """
    if not data_root:
        raise ValueError(f'{owner}: set data_root to {expected}')


def check_renamed_keys(cfg_key: str, given: dict, renamed: dict) -> None:
    """Raise a ``ValueError`` naming ``cfg_key`` for keys a config may still
    use under an old name, or that no argument takes.

    Args:
        cfg_key (str): Where the arguments are configured.
        given (dict): The keyword arguments left over after the known ones.
        renamed (dict): Old name -> new name.
    """
    if not given:
        return
    msgs = [
        f'{k!r} is now {renamed[k]!r}' if k in renamed else f'{k!r} is unknown'
        for k in sorted(given)
    ]
    raise ValueError(f'{cfg_key}: ' + '; '.join(msgs))
