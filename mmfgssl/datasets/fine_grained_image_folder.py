# Copyright (c) OpenMMLab. All rights reserved.
import csv
import io
import json
import os.path as osp
from typing import Dict, List, Optional, Tuple

from mmengine.logging import MMLogger
from mmpretrain.datasets import CustomDataset
from mmpretrain.registry import DATASETS

from mmfgssl.utils.checks import check_choice
from .box_dataset_mixin import BoxDatasetMixin
from .box_utils import read_utf8_text, xywh_to_xyxy
from .train_set_source import BindTrainSetMixin

MISSING_BOX_RULES = ('error', 'whole_image')


def read_csv_boxes(path: str) -> Dict[str, Tuple[int, list]]:
    """Boxes of a CSV file ``path,x1,y1,x2,y2`` (pixels; a first line
    ``path,x1,y1,x2,y2`` is a header).

    Returns:
        dict: image path as written -> ``(line_no, [x1, y1, x2, y2])``.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'Box file not found: {path}')
    boxes = {}
    for line_no, row in enumerate(
            csv.reader(io.StringIO(read_utf8_text(path))), 1):
        if not row or not ''.join(row).strip():
            continue
        if line_no == 1 and row[0].strip().lower() == 'path':
            continue
        try:
            if len(row) != 5:
                raise ValueError(f'{len(row)} columns')
            key = row[0].strip()
            box = [float(v) for v in row[1:]]
        except ValueError as e:
            raise ValueError(
                f'{path}:{line_no}: expected '
                f'"path,x1,y1,x2,y2", got {row!r} ({e})') from None
        if key in boxes:
            raise ValueError(f'{path}:{line_no}: duplicate {key!r}, '
                             f'first on line {boxes[key][0]}')
        boxes[key] = (line_no, box)
    return boxes


def read_coco_boxes(path: str) -> Dict[str, Tuple[int, list]]:
    """Boxes of a COCO-format JSON file: ``images`` (``id``,
    ``file_name``) and ``annotations`` (``image_id``, ``bbox`` as ``x, y,
    w, h``). An image with several boxes gets their union (the tight box of
    all of them).

    Returns:
        dict: ``file_name`` -> ``(annotation index, [x1, y1, x2, y2])``.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'Box file not found: {path}')
    try:
        coco = json.loads(read_utf8_text(path))
    except json.JSONDecodeError as e:
        raise ValueError(f'{path}: not valid JSON ({e})') from None
    if not isinstance(coco, dict) or 'images' not in coco \
            or 'annotations' not in coco:
        raise ValueError(f'{path}: a COCO-format file needs "images" and '
                         '"annotations"')
    names = {}
    for i, img in enumerate(coco['images']):
        if 'id' not in img or 'file_name' not in img:
            raise ValueError(f'{path}: images[{i}] needs "id" and '
                             f'"file_name", got {sorted(img)}')
        names[img['id']] = img['file_name']
    boxes = {}
    for i, ann in enumerate(coco['annotations']):
        bbox = ann.get('bbox')
        if ann.get('image_id') not in names or not (isinstance(bbox, list)
                                                    and len(bbox) == 4):
            raise ValueError(
                f'{path}: annotations[{i}] needs an "image_id" of "images" '
                f'and "bbox": [x, y, w, h], got {ann!r}')
        box = [float(v) for v in xywh_to_xyxy([float(v) for v in bbox])]
        name = names[ann['image_id']]
        if name in boxes:
            first, old = boxes[name]
            box = [
                min(old[0], box[0]),
                min(old[1], box[1]),
                max(old[2], box[2]),
                max(old[3], box[3])
            ]
            boxes[name] = (first, box)
        else:
            boxes[name] = (i, box)
    return boxes


@DATASETS.register_module()
class FineGrainedImageFolder(BindTrainSetMixin, BoxDatasetMixin,
                             CustomDataset):
    """A fine-grained set of your own: images in class sub-folders (or an
    annotation list), with optional object boxes.

    Images and labels are mmpretrain's :class:`CustomDataset`: class
    sub-folders of ``data_root/data_prefix`` (classes sorted by name), or an
    ``ann_file`` of ``relative/path label`` lines. Boxes, when there is a
    ``box_file``, are read from

    - a CSV file (``.csv``): ``path,x1,y1,x2,y2`` per line, pixels of the
      original image, ``path`` relative to the image folder; a first line
      ``path,x1,y1,x2,y2`` is a header;
    - a COCO-format JSON file (``.json``): ``images[].file_name`` relative to
      the image folder, ``annotations[].bbox`` as ``x, y, w, h``; several
      boxes of one image are joined into their union.

    Each sample then carries ``gt_bboxes`` (float32, 1 x 4, ``x1, y1, x2,
    y2``) as the other box datasets; boxes are clipped to the image and
    degenerate ones replaced by the whole image, counted and warned about
    (:class:`BoxDatasetMixin`). An image without a box is an error naming
    it, or with ``missing_box='whole_image'`` gets the whole image, counted
    in ``num_missing_boxes`` and warned about once. A box of an image that is
    not in the set is an error naming the file and line.

    Without a ``box_file`` the samples have no box: configure the box and
    mask sources of the method instead (SaliencySwap's ``box_source=dict(
    kind='detector', ...)`` or ``'saliency_map'`` files written by
    ``tools/dataset_converters/compute_saliency_masks.py``; DiLo's
    ``LoadSaliencyMask`` source, e.g. ``mask_file`` masks under
    ``'{data_root}/masks'``).

    Directory: ::

        data_root
        ├── images            (data_prefix)
        │   ├── class_a
        │   │   ├── 0001.jpg
        │   │   └── ...
        │   └── class_b
        │       └── ...
        └── boxes.csv         (box_file, optional)

    Args:
        data_root (str): The set's folder.
        data_prefix (str): The image folder, relative to ``data_root``.
            Defaults to 'images'.
        ann_file (str): Optional ``path label`` list, relative to
            ``data_root``. Defaults to '' (class sub-folders).
        box_file (str, optional): The CSV or COCO-JSON box file, relative to
            ``data_root``. Defaults to None (no boxes).
        missing_box (str): ``'error'`` or ``'whole_image'`` for an image
            without a box. Defaults to 'error'.
        **kwargs: Other arguments of :class:`CustomDataset`.
    """

    def __init__(self,
                 data_root: str = '',
                 data_prefix: str = 'images',
                 ann_file: str = '',
                 box_file: Optional[str] = None,
                 missing_box: str = 'error',
                 **kwargs):
        check_choice('FineGrainedImageFolder.missing_box', missing_box,
                     MISSING_BOX_RULES)
        if box_file is not None and osp.splitext(box_file)[1].lower() not in (
                '.csv', '.json'):
            raise ValueError(f'FineGrainedImageFolder: box_file {box_file!r} '
                             'must be a .csv or a COCO-format .json file')
        self.box_file = box_file
        self.missing_box = missing_box
        self.num_missing_boxes = 0
        super().__init__(
            data_root=data_root,
            data_prefix=data_prefix,
            ann_file=ann_file,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """The samples of :class:`CustomDataset`, with ``gt_bboxes`` when
        there is a box file."""
        if self.ann_file:  # named file and line for a non-UTF-8 list
            read_utf8_text(self.ann_file)
        data_list = super().load_data_list()
        if self.box_file is None:
            return data_list
        path = osp.join(self.data_root, self.box_file)
        table = (
            read_csv_boxes(path)
            if path.lower().endswith('.csv') else read_coco_boxes(path))
        where = 'line' if path.lower().endswith('.csv') else 'annotation'
        rel_of = {
            osp.normpath(osp.relpath(info['img_path'], self.img_prefix)): info
            for info in data_list
        }
        unknown = [(k, v[0]) for k, v in table.items()
                   if osp.normpath(k) not in rel_of]
        if unknown:
            key, pos = unknown[0]
            raise ValueError(
                f'{path}: {where} {pos}: {key!r} is not an image of the set '
                f'under {self.img_prefix} ({len(unknown)} such entries)')
        boxes = {osp.normpath(k): v for k, v in table.items()}
        kept, kept_boxes, sources, missing = [], [], [], []
        for rel, info in rel_of.items():
            if rel in boxes:
                pos, box = boxes[rel]
                kept_boxes.append(box)
                sources.append(f'{path}:{where} {pos}')
            else:
                missing.append(rel)
                width, height = self._image_size(info['img_path'])
                kept_boxes.append([0., 0., float(width), float(height)])
                sources.append(f'{rel} (no box)')
            kept.append(info)
        if missing and self.missing_box == 'error':
            raise ValueError(
                f'{path}: no box for {len(missing)} of {len(kept)} images, '
                f"e.g. {missing[:3]}; add them or set missing_box="
                "'whole_image'")
        self.num_missing_boxes = len(missing)
        if missing:
            MMLogger.get_current_instance().warning(
                f'FineGrainedImageFolder: {len(missing)} of {len(kept)} '
                f'images have no box in {path} (first: {missing[0]}); they '
                'get the whole image')
        return self._attach_boxes(kept, kept_boxes, sources)
