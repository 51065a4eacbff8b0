# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
from typing import Callable, Dict, List, Sequence, Tuple

from mmengine.logging import MMLogger

from .box_utils import oriented_image_size, read_utf8_text, sanitize_box


class BoxDatasetMixin:
    """Helpers shared by the datasets that carry a ground-truth object box.

    A dataset's ``load_data_list`` reads its annotation files with
    :meth:`_read_table`, converts every box to ``(x1, y1, x2, y2)`` pixels of
    the original image (see :mod:`mmfgssl.datasets.box_utils`) and calls
    :meth:`_attach_boxes`, which reads each image size from its header,
    clips the boxes to the image, replaces degenerate boxes by the whole
    image and stores ``gt_bboxes``, a float32 array of shape (1, 4), in each
    sample. The numbers of clipped and degenerate boxes are kept in
    ``num_clipped_boxes`` and ``num_degenerate_boxes`` and reported by one
    warning per dataset build. Images are read from the local file system.
    """

    num_clipped_boxes: int = 0
    num_degenerate_boxes: int = 0

    @staticmethod
    def _flag(value: str) -> bool:
        """Parse a ``0`` / ``1`` column, for :meth:`_read_table`."""
        if value not in ('0', '1'):
            raise ValueError(f'expected 0 or 1, got {value!r}')
        return value == '1'

    @staticmethod
    def _read_table(path: str,
                    fmt: str,
                    types: Sequence[Callable],
                    rest: bool = False) -> Dict:
        """Read a whitespace-separated text file keyed by its first column.

        Args:
            path (str): The text file.
            fmt (str): The line format, for error messages.
            types (Sequence[Callable]): One parser per column.
            rest (bool): Whether the last column takes the rest of the line
                (names with spaces). Defaults to False.

        Returns:
            dict: First column -> ``(line_no, [other columns])``, in file
            order. Blank lines are skipped.

        Raises:
            ValueError: Naming the file and line of a line that is not UTF-8
                (file names must be UTF-8 encoded) or does not parse, and the
                file when it has no entry at all.
        """
        if not osp.isfile(path):
            raise FileNotFoundError(f'Annotation file not found: {path}')
        table = {}
        for line_no, line in enumerate(read_utf8_text(path).split('\n'), 1):
            line = line.strip()
            if not line:
                continue
            fields = line.split(None, len(types) - 1 if rest else -1)
            try:
                if len(fields) != len(types):
                    raise ValueError(f'{len(fields)} columns')
                key, *values = [t(v) for t, v in zip(types, fields)]
            except ValueError as e:
                raise ValueError(f'{path}:{line_no}: expected "{fmt}", '
                                 f'got {line!r} ({e})') from None
            if key in table:
                raise ValueError(f'{path}:{line_no}: duplicate {key!r}, '
                                 f'first on line {table[key][0]}')
            table[key] = (line_no, values)
        if not table:
            raise ValueError(f'{path}: no entry (the file is empty); expected '
                             f'lines of "{fmt}"')
        return table

    @staticmethod
    def _check_same_keys(tables: Dict[str, Dict]) -> None:
        """Raise if the tables (file path -> table) have different keys."""
        (ref_path, ref), *others = tables.items()
        for path, table in others:
            if table.keys() != ref.keys():
                diff = sorted(set(ref) ^ set(table), key=str)
                raise ValueError(f'The image ids differ between {ref_path} '
                                 f'and {path}, e.g. {diff[:3]}')

    @staticmethod
    def _image_size(path: str) -> Tuple[int, int]:
        """Return ``(width, height)`` of an image from its header, EXIF
        orientation applied (:func:`oriented_image_size`)."""
        try:
            return oriented_image_size(path)
        except FileNotFoundError:
            raise FileNotFoundError(f'Image not found: {path}') from None
        except OSError as e:
            raise OSError(f'Cannot read the image {path}: {e}') from e

    def _attach_boxes(self, data_list: List[dict], boxes: Sequence,
                      sources: Sequence[str]) -> List[dict]:
        """Sanitize the boxes and store them as ``gt_bboxes`` in the samples.

        Args:
            data_list (list[dict]): Samples with ``img_path``.
            boxes (Sequence): One ``(x1, y1, x2, y2)`` box per sample.
            sources (Sequence[str]): Where each box was read, e.g.
                ``file:line``, for the warning.

        Returns:
            list[dict]: ``data_list``, each sample with ``gt_bboxes``.
        """
        if not data_list:
            split = getattr(self, 'split', None)
            raise ValueError(
                f'{type(self).__name__} at {self.data_root}: no image in the '
                + (f'{split!r} split' if split else 'dataset') +
                ' (check the split file and the annotation lists)')
        bad = dict(clipped=[], degenerate=[])
        for info, box, source in zip(data_list, boxes, sources):
            box, status = sanitize_box(box,
                                       *self._image_size(info['img_path']))
            info['gt_bboxes'] = box.reshape(1, 4)
            if status in bad:
                bad[status].append(source)
        self.num_clipped_boxes = len(bad['clipped'])
        self.num_degenerate_boxes = len(bad['degenerate'])
        if self.num_clipped_boxes or self.num_degenerate_boxes:
            details = '; '.join(f'{len(srcs)} {status} (first: {srcs[0]})'
                                for status, srcs in bad.items() if srcs)
            MMLogger.get_current_instance().warning(
                f'{type(self).__name__}: of {len(data_list)} boxes, '
                f'{details}. Clipped boxes were cut to the image, degenerate '
                'ones replaced by the whole image.')
        return data_list
