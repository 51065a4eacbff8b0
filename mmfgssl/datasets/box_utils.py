# Copyright (c) OpenMMLab. All rights reserved.
"""Pure helpers for the ground-truth object box of fine-grained datasets.

Coordinate convention: every box handed to the pipeline is
``(x1, y1, x2, y2)``, float32, in pixel-edge coordinates of the image as it
is decoded, 0-based with exclusive right/bottom edges: the box covers the pixel
columns ``x1 <= u < x2`` and rows ``y1 <= v < y2``, and the whole ``w x h``
image is ``[0, 0, w, h]``. The on-disk conventions are converted to it:

- 1-based inclusive corners (Stanford Cars ``bbox_x1..bbox_y2``, FGVC
  Aircraft ``images_box.txt``): ``(x1 - 1, y1 - 1, x2, y2)``, see
  :func:`inclusive_to_xyxy`.
- top-left corner and size (CUB-200-2011 and NABirds
  ``<x> <y> <width> <height>``): ``(x, y, x + width, y + height)``, see
  :func:`xywh_to_xyxy`.

Orientation rule: an image is taken as it is displayed, with its EXIF
orientation applied, because that is how ``LoadImageFromFile`` decodes it
(OpenCV's decoder and mmcv's pillow backend both apply the tag). Boxes and
masks are read in that frame, and :func:`oriented_image_size` gives the size
that boxes are checked against (width and height swapped for the tags 5-8,
the quarter turns).
"""
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from PIL import Image

#: The EXIF tag of the orientation, and its values that turn by 90 degrees.
EXIF_ORIENTATION = 0x0112
QUARTER_TURNS = (5, 6, 7, 8)


def read_utf8_text(path: str) -> str:
    """The text of an annotation file, which must be UTF-8 (a byte order
    mark is dropped).

    Args:
        path (str): The file.

    Returns:
        str: Its text.

    Raises:
        ValueError: Naming the file and the line of the first byte that is
            not UTF-8.
    """
    with open(path, 'rb') as f:
        data = f.read()
    try:
        return data.decode('utf-8-sig')
    except UnicodeDecodeError as e:
        line_no = data[:e.start].count(b'\n') + 1
        start = data.rfind(b'\n', 0, e.start) + 1
        end = data.find(b'\n', e.start)
        line = data[start:end if end >= 0 else len(data)]
        raise ValueError(f'{path}:{line_no}: not UTF-8 text ({e}): '
                         f'{line[:200]!r}; save the file (and write the file '
                         'names in it) as UTF-8') from None


def oriented_image_size(path: str) -> Tuple[int, int]:
    """``(width, height)`` of an image as decoded, read from its header:
    with its EXIF orientation applied (see the module's orientation rule).

    Args:
        path (str): The image file.

    Returns:
        tuple[int, int]: Width and height in pixels.
    """
    with Image.open(path) as img:
        width, height = img.size
        orientation = img.getexif().get(EXIF_ORIENTATION, 1)
    if orientation in QUARTER_TURNS:
        return height, width
    return width, height


def xywh_to_xyxy(box_xywh: Sequence[float]) -> np.ndarray:
    """Convert a ``(x, y, width, height)`` box to ``(x1, y1, x2, y2)``.

    Args:
        box_xywh (Sequence[float]): Top-left corner and size, in pixels.

    Returns:
        np.ndarray: The float32 box ``(x, y, x + width, y + height)``.
    """
    x, y, w, h = np.asarray(box_xywh, dtype=np.float64).reshape(4)
    return np.array([x, y, x + w, y + h], dtype=np.float32)


def inclusive_to_xyxy(box: Sequence[float]) -> np.ndarray:
    """Convert 1-based inclusive pixel corners to ``(x1, y1, x2, y2)``.

    A box whose first and last pixels are columns ``1`` and ``w`` (rows
    ``1`` and ``h``) becomes ``[0, 0, w, h]``.

    Args:
        box (Sequence[float]): ``(xmin, ymin, xmax, ymax)``, 1-based,
            inclusive.

    Returns:
        np.ndarray: The float32 box ``(xmin - 1, ymin - 1, xmax, ymax)``.
    """
    x1, y1, x2, y2 = np.asarray(box, dtype=np.float64).reshape(4)
    return np.array([x1 - 1, y1 - 1, x2, y2], dtype=np.float32)


def sanitize_box(box_xyxy: Sequence[float], img_w: int,
                 img_h: int) -> Tuple[np.ndarray, str]:
    """Make a box valid for an image of size ``img_w x img_h``.

    A box reaching outside the image is clipped to it. A degenerate box
    (a non-finite coordinate, or less than 1 pixel wide or high after
    clipping) is replaced by the whole image ``[0, 0, img_w, img_h]``.

    Args:
        box_xyxy (Sequence[float]): ``(x1, y1, x2, y2)`` in pixels.
        img_w (int): Image width in pixels.
        img_h (int): Image height in pixels.

    Returns:
        tuple[np.ndarray, str]: The float32 box of shape (4,) and its status,
        ``'ok'`` (unchanged), ``'clipped'`` or ``'degenerate'``.
    """
    if img_w < 1 or img_h < 1:
        raise ValueError(f'Invalid image size {img_w}x{img_h}')
    box = np.asarray(box_xyxy, dtype=np.float64).reshape(4)
    whole = np.array([0, 0, img_w, img_h], dtype=np.float32)
    if not np.isfinite(box).all():
        return whole, 'degenerate'
    clipped = np.clip(box, 0, [img_w, img_h, img_w, img_h])
    if clipped[2] - clipped[0] < 1 or clipped[3] - clipped[1] < 1:
        return whole, 'degenerate'
    status = 'ok' if np.array_equal(clipped, box) else 'clipped'
    return clipped.astype(np.float32), status


def normalized_gt_boxes(dataset,
                        warn=None,
                        who: str = 'dataset') -> Optional[torch.Tensor]:
    """Every sample's ground-truth box normalised by its image size.

    The size is the data info's ``width`` / ``height``, or else the image
    file's, EXIF orientation applied (:func:`oriented_image_size`).

    Args:
        dataset: A dataset with ``get_data_info``.
        warn (callable, optional): Called with a message naming the sample
            when a box or an image size is missing.
        who (str): Names the caller in the messages.

    Returns:
        torch.Tensor, optional: ``(x1, y1, x2, y2)`` of shape (N, 4),
        float64, row ``i`` for sample ``i``; None when the samples have no
        ``gt_bboxes`` (or not all of them one box) or a size is unreadable.
    """
    warn = warn or (lambda msg: None)
    if not len(dataset) or not hasattr(dataset, 'get_data_info'):
        return None
    if 'gt_bboxes' not in dataset.get_data_info(0):
        return None
    rows = []
    for idx in range(len(dataset)):
        info = dataset.get_data_info(idx)
        box = info.get('gt_bboxes')
        if box is None or np.asarray(box).size != 4:
            warn(f'{who}: sample {idx} has no single ground-truth box '
                 f'(gt_bboxes={box!r}); the box IoU is not logged')
            return None
        width, height = info.get('width'), info.get('height')
        if width is None or height is None:
            try:
                width, height = oriented_image_size(info['img_path'])
            except (KeyError, OSError) as e:
                warn(f'{who}: cannot read the size of the image of sample '
                     f'{idx} ({e!r}); the box IoU is not logged')
                return None
        rows.append(
            np.asarray(box, dtype=np.float64).reshape(4) /
            np.array([width, height, width, height], dtype=np.float64))
    return torch.from_numpy(np.stack(rows))  # N x 4
