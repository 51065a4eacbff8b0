"""Helpers of the dataset tests: annotation files written line by line as
the real sets ship them, and a dataset built with the warnings it logs
captured."""
from unittest import mock

from mmengine.logging import MMLogger


def write_lines(path, lines):
    """``lines``, one per line with a final newline, into ``path``."""
    path.write_text('\n'.join(lines) + '\n')


def write_annotation_files(root, files):
    """``{name: lines}`` as ``root/{name}.txt`` (CUB's and NABirds' layout)."""
    for name, lines in files.items():
        write_lines(root / f'{name}.txt', lines)


def build_capturing_warnings(dataset_cls, **kwargs):
    """``dataset_cls(**kwargs)`` and the mock of the current logger's
    ``warning`` that saw what it logged while it was built."""
    logger = MMLogger.get_current_instance()
    with mock.patch.object(logger, 'warning') as warning:
        dataset = dataset_cls(**kwargs)
    return dataset, warning
