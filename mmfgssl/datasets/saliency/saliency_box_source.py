# Copyright (c) OpenMMLab. All rights reserved.
from typing import Optional, Tuple

import numpy as np

from mmfgssl.utils.checks import check_choice, check_renamed_keys
from mmfgssl.utils.fallback_log import warn_on_doubling
from ..box_utils import sanitize_box
from ..train_set_source import check_data_root_filled, fill_data_root
from .box_search import saliency_to_box
from .detectors import SALIENCY_DETECTORS, compute_saliency
from .saliency_file import mirrored_path, read_saliency_file


class SaliencyBoxSource:
    """Where the object box of an image comes from (CVSA Sec. 4.1, Eq. 2).

    Three sources, chosen by ``kind``:

    - ``'gt'`` (the paper's main tables): the sample's ground-truth box,
      ``results['gt_bboxes'][0]`` as the ``*WithBoxes`` datasets store it.
    - ``'saliency_map'``: a saliency map precomputed on disk (e.g. by
      ``tools/dataset_converters/compute_saliency_boxes.py``) at
      ``root / relpath(img_path, img_root)`` with the extension replaced
      by ``suffix``; any image format cv2 reads, gray levels 0-255 = 0-1.
    - ``'detector'``: an unsupervised detector of
      :data:`~mmfgssl.datasets.saliency.SALIENCY_DETECTORS` run on the image
      on the fly (``method``: ``'spectral_residual'``, ``'fine_grained'`` or
      ``'background_prior'``).

    Maps become boxes with :func:`saliency_to_box` (well-posed Eq. 2,
    ``threshold``, ``max_side``). A constant or empty map gives the whole
    image; such fallbacks are counted (``num_fallbacks`` of ``num_boxes``) and
    logged with a warning the first time and then whenever their number
    doubles (each data-loader worker counts its own samples).

    Args:
        kind (str): ``'gt'``, ``'saliency_map'`` or ``'detector'``.
            Defaults to ``'gt'``.
        root (str, optional): Folder of the maps, for ``'saliency_map'``;
            ``'{data_root}'`` in it (and in ``img_root``) is the training
            set's data root, filled in when the dataset binds itself to the
            SaliencySwap holding this source.
        img_root (str, optional): The folder the image paths are relative
            to, for ``'saliency_map'``.
        suffix (str): Map file extension. Defaults to ``'.png'``.
        method (str, optional): Detector name, for ``'detector'``.
        threshold (float): See :func:`saliency_to_box`. Defaults to 0.5.
        max_side (int): See :func:`saliency_to_box`. Defaults to 64.
        cfg_key (str): Where this source is configured, for error messages.
        **unknown: Refused with an error naming ``cfg_key``, and the new
            name of the old ``type`` / ``map_root`` / ``map_suffix``.
    """

    KINDS = ('gt', 'saliency_map', 'detector')

    def __init__(self,
                 kind: str = 'gt',
                 root: Optional[str] = None,
                 img_root: Optional[str] = None,
                 suffix: str = '.png',
                 method: Optional[str] = None,
                 threshold: float = 0.5,
                 max_side: int = 64,
                 cfg_key: str = 'box_source',
                 **unknown):
        check_renamed_keys(
            cfg_key, unknown,
            dict(type='kind', map_root='root', map_suffix='suffix'))
        check_choice(f'{cfg_key}.kind', kind, self.KINDS)
        if kind == 'saliency_map' and (root is None or img_root is None):
            raise ValueError(f'{cfg_key}: kind="saliency_map" needs root '
                             'and img_root')
        if kind == 'detector':
            check_choice(f'{cfg_key}.method', method, SALIENCY_DETECTORS)
        self.kind = kind
        self.root = root
        self.img_root = img_root
        self.suffix = suffix
        self.method = method
        self.threshold = threshold
        self.max_side = max_side
        self.cfg_key = cfg_key
        self.num_boxes = 0
        self.num_fallbacks = 0

    def bind_data_root(self, data_root: str) -> None:
        """Put ``data_root`` (the training set's) for ``{data_root}`` in
        ``root`` and ``img_root``."""
        fill_data_root(self, ('root', 'img_root'), data_root)

    def map_path(self, img_path: str) -> str:
        """The saliency map file of an image, for ``'saliency_map'``."""
        check_data_root_filled(self, ('root', 'img_root'), self.cfg_key)
        return mirrored_path(img_path, self.img_root, self.root, self.suffix)

    def _saliency(self, results: dict) -> np.ndarray:
        if self.kind == 'detector':
            return compute_saliency(results['img'], self.method)
        path = self.map_path(results['img_path'])
        return read_saliency_file(
            path,
            results['img'].shape,
            missing_msg=(f'No saliency map {path} for the sample '
                         f'{results["img_path"]} ({self.cfg_key}.root='
                         f'{self.root!r}, img_root={self.img_root!r})'),
            undecodable_msg=f'Cannot read the saliency map {path}')

    def __call__(self, results: dict) -> Tuple[np.ndarray, bool]:
        """The box of ``results['img']``.

        Returns:
            tuple[np.ndarray, bool]: The float32 ``(x1, y1, x2, y2)`` box in
            pixels of ``results['img']``, and False when it is the
            whole-image fallback of an empty or constant saliency map.
        """
        h, w = results['img'].shape[:2]
        self.num_boxes += 1
        if self.kind == 'gt':
            boxes = results.get('gt_bboxes')
            if boxes is None or len(boxes) == 0:
                raise KeyError(
                    f'The sample {results.get("img_path", "<in memory>")} '
                    'has no ground-truth box (gt_bboxes) and no saliency '
                    f'source is configured: set {self.cfg_key}=dict('
                    'kind="detector", method="spectral_residual") or '
                    'dict(kind="saliency_map", root=..., img_root=...), '
                    'or use a dataset with boxes (e.g. CUBWithBoxes).')
            box, _ = sanitize_box(np.asarray(boxes, np.float32)[0], w, h)
            return box, True
        box, ok = saliency_to_box(
            self._saliency(results), self.threshold, self.max_side)
        if not ok:
            self._count_fallback(results)
        return box, ok

    def _count_fallback(self, results: dict) -> None:
        self.num_fallbacks += 1
        warn_on_doubling(
            self.num_fallbacks, f'{self.cfg_key} ({self.kind}'
            f'{", " + self.method if self.method else ""}): '
            f'{self.num_fallbacks} of {self.num_boxes} saliency maps in '
            'this process were empty or constant and gave the whole '
            f'image as box (latest: {results.get("img_path")}).')
