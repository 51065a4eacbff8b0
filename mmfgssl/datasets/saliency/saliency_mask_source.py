# Copyright (c) OpenMMLab. All rights reserved.
from typing import Optional

import numpy as np

from mmfgssl.utils.checks import check_choice, check_renamed_keys
from ..train_set_source import check_data_root_filled, fill_data_root
from .detectors import SALIENCY_DETECTORS, compute_saliency
from .mask import BINARIZE_METHODS, saliency_to_mask
from .saliency_file import mirrored_path, read_saliency_file


class SaliencyMaskSource:
    """Where the pixel-wise foreground mask of an image comes from (DiLo,
    AAAI 2021, Sec. 4 and 5.2).

    Three sources, chosen by ``kind``:

    - ``'mask_file'``: a mask on disk, e.g. the ground-truth segmentations
      of CUB-200-2011's segmentation release or of the synthetic set
      (``segmentations/<class>/<name>.png``, 255 = object), binarised with
      ``dict(method='fixed', threshold=0.5)`` by default.
    - ``'saliency_map'``: a saliency map precomputed on disk, binarised
      with Otsu's rule by default.
    - ``'detector'``: an unsupervised detector of
      :data:`~mmfgssl.datasets.saliency.SALIENCY_DETECTORS` run on the
      image (``method``: ``'background_prior'`` = RBD-style, the paper's
      final choice; ``'spectral_residual'``; ``'fine_grained'``), binarised
      with Otsu's rule by default.

    Files on disk mirror the image folder, as
    :class:`~mmfgssl.datasets.saliency.SaliencyBoxSource` reads its maps:
    ``root / relpath(img_path, img_root)`` with the extension replaced
    by ``suffix``, any format cv2 reads, gray levels 0-255 = 0-1. A file of
    a different size than the image is resized to it (bilinear) before
    binarising. The binarisation rules are those of
    :func:`~mmfgssl.datasets.saliency.saliency_to_mask`.

    Args:
        kind (str): ``'mask_file'``, ``'saliency_map'`` or ``'detector'``.
            Defaults to ``'detector'``.
        method (str, optional): Detector name, for ``'detector'``.
            Defaults to ``'background_prior'``.
        root (str, optional): Folder of the files, for the file types.
            ``'{data_root}'`` in it stands for the training set's data root,
            filled in when the dataset binds itself to the pipeline's
            :class:`~mmfgssl.datasets.transforms.LoadSaliencyMask` (e.g.
            ``'{data_root}/segmentations'``), so that the masks follow an
            override of ``train_dataloader.dataset.data_root``.
        img_root (str, optional): The folder the image paths are relative
            to, for the file types; ``'{data_root}'`` as in ``root``.
        suffix (str): File extension. Defaults to ``'.png'``.
        binarize (dict, optional): Arguments of :func:`saliency_to_mask`
            (``method``, ``threshold``, ``k``). Defaults by ``kind`` (see
            above).
        cfg_key (str): Where this source is configured, for error messages.
        **unknown: Refused with an error naming ``cfg_key``, and the new
            name of the old ``type`` / ``mask_root``.
    """

    KINDS = ('mask_file', 'saliency_map', 'detector')

    def __init__(self,
                 kind: str = 'detector',
                 method: Optional[str] = 'background_prior',
                 root: Optional[str] = None,
                 img_root: Optional[str] = None,
                 suffix: str = '.png',
                 binarize: Optional[dict] = None,
                 cfg_key: str = 'mask_source',
                 **unknown):
        check_renamed_keys(cfg_key, unknown,
                           dict(type='kind', mask_root='root'))
        check_choice(f'{cfg_key}.kind', kind, self.KINDS)
        if kind != 'detector' and (root is None or img_root is None):
            raise ValueError(f'{cfg_key}: kind={kind!r} needs root and '
                             'img_root')
        if kind == 'detector':
            check_choice(f'{cfg_key}.method', method, SALIENCY_DETECTORS)
        if binarize is None:
            binarize = dict(method='fixed', threshold=0.5) \
                if kind == 'mask_file' else dict(method='otsu')
        binarize = dict(binarize)
        bad_keys = set(binarize) - {'method', 'threshold', 'k', 'min_range'}
        if bad_keys or binarize.get('method', 'otsu') not in BINARIZE_METHODS:
            raise ValueError(
                f'{cfg_key}.binarize must be dict(method=one of '
                f'{BINARIZE_METHODS}, threshold=..., k=...), got {binarize}')
        self.kind = kind
        self.method = method
        self.root = root
        self.img_root = img_root
        self.suffix = suffix
        self.binarize = binarize
        self.cfg_key = cfg_key

    def bind_data_root(self, data_root: str) -> None:
        """Put ``data_root`` (the training set's) for ``{data_root}`` in
        ``root`` and ``img_root``."""
        fill_data_root(self, ('root', 'img_root'), data_root)

    def file_path(self, img_path: str) -> str:
        """The mask or map file of an image, for the file types."""
        check_data_root_filled(self, ('root', 'img_root'), self.cfg_key)
        return mirrored_path(img_path, self.img_root, self.root, self.suffix)

    def saliency(self, results: dict) -> np.ndarray:
        """The ``H x W`` float32 map in [0, 1] of ``results['img']``."""
        if self.kind == 'detector':
            return compute_saliency(results['img'], self.method)
        img_path = results.get('img_path')
        if img_path is None:
            raise KeyError(f'{self.cfg_key} ({self.kind}) needs the '
                           'sample\'s img_path to find its file')
        path = self.file_path(img_path)
        return read_saliency_file(
            path,
            results['img'].shape,
            missing_msg=(f'No {self.kind} file {path} for the sample '
                         f'{img_path} ({self.cfg_key}.root='
                         f'{self.root!r}, img_root={self.img_root!r})'),
            undecodable_msg=(f'{self.cfg_key}: cannot decode {path} (the '
                             f'{self.kind} of {img_path})'))

    def binarize_map(self, saliency: np.ndarray) -> np.ndarray:
        """The ``H x W`` uint8 mask (1 = object) of a saliency map, by this
        source's ``binarize`` rule."""
        return saliency_to_mask(saliency, **self.binarize)

    def __call__(self, results: dict) -> np.ndarray:
        """The ``H x W`` uint8 foreground mask (1 = object) of
        ``results['img']``."""
        return self.binarize_map(self.saliency(results))

    def __repr__(self) -> str:
        what = self.method if self.kind == 'detector' else self.root
        return (f'{self.__class__.__name__}(kind={self.kind!r}, {what!r}, '
                f'binarize={self.binarize})')
