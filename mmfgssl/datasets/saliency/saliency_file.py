# Copyright (c) OpenMMLab. All rights reserved.
"""Per-image saliency files stored in a tree that mirrors the image tree,
shared by :class:`SaliencyBoxSource` (maps) and :class:`SaliencyMaskSource`
(maps and masks)."""
import os.path as osp
from typing import Tuple

import mmcv
import numpy as np
from mmengine import fileio

__all__ = ['mirrored_path', 'read_saliency_file']


def mirrored_path(img_path: str, img_root: str, file_root: str,
                  suffix: str) -> str:
    """``file_root/<img_path relative to img_root, extension replaced>``.

    Args:
        img_path (str): An image under ``img_root``.
        img_root (str): The root of the image tree.
        file_root (str): The root of the mirrored tree.
        suffix (str): The file ending, e.g. ``'.png'``.

    Returns:
        str: The path of the image's file in the mirrored tree.
    """
    rel = osp.relpath(img_path, img_root)
    return osp.join(file_root, osp.splitext(rel)[0] + suffix)


def read_saliency_file(path: str, img_shape: Tuple[int, int], missing_msg: str,
                       undecodable_msg: str) -> np.ndarray:
    """Read a grayscale saliency file as an ``H x W`` float32 map in [0, 1].

    A file of another size than the image is resized bilinearly.

    Args:
        path (str): The file.
        img_shape (tuple[int, int]): ``(H, W)`` of the image.
        missing_msg (str): The message of the FileNotFoundError raised when
            the file does not exist (should name the sample and config key).
        undecodable_msg (str): The message of the OSError raised when the
            file cannot be decoded.

    Returns:
        np.ndarray: The map, ``file / 255``.
    """
    try:
        sal = mmcv.imfrombytes(fileio.get(path), flag='grayscale')
    except FileNotFoundError:
        raise FileNotFoundError(missing_msg) from None
    if sal is None:
        raise OSError(undecodable_msg)
    h, w = img_shape[:2]
    if sal.shape != (h, w):
        sal = mmcv.imresize(sal, (w, h), interpolation='bilinear')
    return sal.astype(np.float32) / 255.
