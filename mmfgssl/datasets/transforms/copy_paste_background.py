# Copyright (c) OpenMMLab. All rights reserved.
from typing import Optional, Tuple

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.dataset import BaseDataset
from mmpretrain.registry import TRANSFORMS

from mmfgssl.utils.checks import check_choice
from mmfgssl.utils.fallback_log import warn_on_doubling
from ..background_source import BackgroundSource
from ..saliency import to_bgr
from ..unlabeled_image_folder import UnlabeledImageFolder
from .functional import (blend_alpha, composite, cover_crop, gray_background,
                         resize_mask)


@TRANSFORMS.register_module()
class CopyPasteBackground(BaseTransform):
    """DiLo's copy-and-paste background augmentation (Distilling
    Localization for Self-Supervised Representation Learning, AAAI 2021,
    Sec. 5.2, Fig. 4, Table 2).

    With probability ``prob`` the salient foreground of the image
    (``results[mask_key]``, 1 = object, written by
    :class:`LoadSaliencyMask`) is pasted onto a new background of the
    image's size; otherwise the image is left as it is (the paper's
    "probability of keeping the original full image", for context). The
    background is, by ``background['type']``:

    - ``'gray'``: a constant gray image of a random level drawn uniformly
      from ``level_range`` (the paper's final setting);
    - ``'folder'``: a random image of a texture folder (the paper used the
      MIT VisTex textures), e.g. ``dict(type='folder', root='data/vistex')``,
      listed once at build time (recursively, by extension);
    - ``'dataset'``: a random image of another dataset (the paper used
      ImageNet crops), ``dict(type='dataset', dataset=<dataset config or
      object, or a list of them>)``, drawn uniformly from the union of the
      datasets, which are built without pipeline in each data-loader
      worker (a draw that hits the image itself is redrawn).
      ``dataset='train_set'`` is the training set itself: the dataset whose
      pipeline holds this transform binds itself to it when it is built
      (mmfgssl's datasets do; for others, ``BindTrainSetHook``), so the
      backgrounds follow an override of the training set's ``data_root``.

    Folder and dataset images are resized to cover the image (aspect ratio
    kept) and cropped at a random position (:func:`cover_crop`). The paste
    blends by ``blending``: ``'none'`` (direct copy), ``'gaussian'`` (the
    opacity blurred with a Gaussian of ``blur_sigma`` pixels, or else of
    ``blur_sigma_ratio`` times the shorter image side, :func:`blend_alpha`),
    or ``'mix'`` (each paste picks one of the two with equal probability,
    Table 2d). The opacity is the binary mask (``alpha_source='mask'``,
    default) or the continuous saliency map itself (``'saliency'``, as the
    authors' example loader does; needs ``LoadSaliencyMask(soft_key=...)``).
    The authors blur with a fixed sigma of 5 px (PIL's ``GaussianBlur(5)``):
    ``blur_sigma=5``.

    Where to put it: first in each view pipeline of ``MultiView``, before
    ``RandomResizedCrop``, so each view pastes independently and the usual
    augmentations follow (Sec. 5.2, "we first run copy-paste augmentation
    to replace the background, and then perform other augmentations").

    Bad input: an empty mask (nothing salient) leaves the image unchanged;
    such samples are counted (``num_empty`` of ``num_pastes``, per process)
    and logged with a warning the first time and whenever their number
    doubles. A mask of another size than the image is resized to it
    (nearest). A gray or RGBA image becomes 3-channel BGR when pasted.

    **Required Keys:**

    - img
    - ``mask_key`` (``'fg_mask'``)
    - ``soft_key`` (``'fg_saliency'``, with ``alpha_source='saliency'``)

    **Modified Keys:**

    - img (when pasted)
    - ``mask_key`` (resized to the image when its size differed)

    **Added Keys:**

    - copy_paste (dict): ``pasted`` (bool), ``background`` (``'gray:<L>'``
      or the background's path), ``blending`` (``'none'`` or
      ``'gaussian'``), or ``pasted=False`` and ``reason``
      (``'prob'`` / ``'empty_mask'``)

    Args:
        prob (float): Probability to paste. Defaults to 0.5 (Sec. 6.3).
        background (dict): The background source, see above. Defaults to
            ``dict(type='gray', level_range=(0, 255))``.
        blending (str): ``'none'``, ``'gaussian'`` or ``'mix'``. Defaults to
            ``'none'``.
        blur_sigma_ratio (float): Gaussian sigma over the shorter image side
            (at least 0.5 pixel), when ``blur_sigma`` is None. Defaults to
            0.01.
        blur_sigma (float, optional): Gaussian sigma in pixels, whatever the
            image size (the authors': 5). Defaults to None.
        alpha_source (str): ``'mask'`` (binary opacity) or ``'saliency'``
            (the continuous map as opacity). Defaults to ``'mask'``.
        soft_key (str): Where the continuous map is, for
            ``alpha_source='saliency'``. Defaults to ``'fg_saliency'``.
        mask_key (str): Where the foreground mask is. Defaults to
            ``'fg_mask'``.
    """

    BACKGROUNDS = ('gray', 'folder', 'dataset')
    BLENDINGS = ('none', 'gaussian', 'mix')
    ALPHA_SOURCES = ('mask', 'saliency')

    def __init__(self,
                 prob: float = 0.5,
                 background: Optional[dict] = None,
                 blending: str = 'none',
                 blur_sigma_ratio: float = 0.01,
                 blur_sigma: Optional[float] = None,
                 alpha_source: str = 'mask',
                 soft_key: str = 'fg_saliency',
                 mask_key: str = 'fg_mask') -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'CopyPasteBackground.prob must be in [0, 1], '
                             f'got {prob}')
        check_choice('CopyPasteBackground.blending', blending, self.BLENDINGS)
        background = dict(background or dict(type='gray'))
        bg_type = background.pop('type', None)
        check_choice('CopyPasteBackground.background.type', bg_type,
                     self.BACKGROUNDS)
        allowed = dict(
            gray={'level_range'},
            folder={'root', 'extensions'},
            dataset={'dataset'})[bg_type]
        if set(background) - allowed:
            raise ValueError(
                f'CopyPasteBackground.background (type={bg_type!r}) takes '
                f'{sorted(allowed)}, got {sorted(background)}')
        self.prob = prob
        self.bg_type = bg_type
        self.blending = blending
        self.blur_sigma_ratio = blur_sigma_ratio
        if blur_sigma is not None and not blur_sigma > 0:
            raise ValueError('CopyPasteBackground.blur_sigma must be > 0 '
                             f'pixels or None, got {blur_sigma}')
        check_choice('CopyPasteBackground.alpha_source', alpha_source,
                     self.ALPHA_SOURCES)
        self.blur_sigma = blur_sigma
        self.alpha_source = alpha_source
        self.soft_key = soft_key
        self.mask_key = mask_key
        self.level_range = tuple(background.get('level_range', (0, 255)))
        if bg_type == 'gray' and not (0 <= self.level_range[0] <=
                                      self.level_range[1] <= 255):
            raise ValueError('CopyPasteBackground.background.level_range '
                             f'must be within [0, 255], got '
                             f'{self.level_range}')
        self.background_source = None
        if bg_type == 'folder':
            self.background_source = BackgroundSource(
                [self._folder(background)],
                cfg_key='CopyPasteBackground.background.root',
                owner='CopyPasteBackground')
        elif bg_type == 'dataset':
            datasets = background.get('dataset')
            if datasets is None:
                raise ValueError('CopyPasteBackground.background: '
                                 'type="dataset" needs dataset=<dataset '
                                 'config>')
            if not isinstance(datasets, (list, tuple)):
                datasets = [datasets]
            self.background_source = BackgroundSource(
                datasets,
                cfg_key='CopyPasteBackground.background.dataset',
                owner='CopyPasteBackground')
        self.num_pastes = 0
        self.num_empty = 0

    # ---------------------------------------------------------- backgrounds
    @staticmethod
    def _folder(background: dict) -> UnlabeledImageFolder:
        """The texture folder, listed now so that a wrong root fails when the
        pipeline is built."""
        root = background.get('root')
        if not root:
            raise ValueError('CopyPasteBackground.background: type="folder" '
                             'needs root=<folder of images>')
        kwargs = dict(data_root=root, pipeline=[])
        if 'extensions' in background:
            kwargs['extensions'] = tuple(background['extensions'])
        try:
            return UnlabeledImageFolder(**kwargs)
        except FileNotFoundError as e:
            raise FileNotFoundError(
                f'CopyPasteBackground.background.root: {e}') from None

    def bind_train_set(self, dataset: BaseDataset) -> None:
        """Draw the ``'train_set'`` backgrounds from ``dataset``."""
        if self.background_source is not None:
            self.background_source.bind_train_set(dataset)

    def background_for(self, height: int, width: int,
                       fg_path: Optional[str]) -> Tuple[np.ndarray, str]:
        """A ``height x width x 3`` background and its description."""
        if self.bg_type == 'gray':
            level = int(
                np.random.randint(self.level_range[0],
                                  self.level_range[1] + 1))
            return gray_background(height, width, level), f'gray:{level}'
        _, info = self.background_source.draw(fg_path)
        path = info['img_path']
        bg, _ = cover_crop(self.background_source.load(path), height, width)
        return bg, path

    # ------------------------------------------------------------ transform
    def _count_empty(self, results: dict) -> None:
        self.num_empty += 1
        warn_on_doubling(
            self.num_empty,
            f'CopyPasteBackground: {self.num_empty} of {self.num_pastes} '
            'images drawn for pasting in this process had an empty '
            'saliency mask and were left unchanged (latest: '
            f'{results.get("img_path", "<in memory>")}).')

    def transform(self, results: dict) -> dict:
        """Paste the foreground on a new background with probability
        ``prob``."""
        if self.mask_key not in results:
            raise KeyError(f'CopyPasteBackground needs the foreground mask '
                           f'results[{self.mask_key!r}] of '
                           f'{results.get("img_path", "<in memory>")}: put '
                           'LoadSaliencyMask before MultiView in the pipeline')
        img = results['img']
        h, w = img.shape[:2]
        mask = results[self.mask_key]
        if mask.shape[:2] != (h, w):
            mask = resize_mask(mask, h, w)  # H x W
            results[self.mask_key] = mask
        if self.prob < 1 and np.random.rand() >= self.prob:
            results['copy_paste'] = dict(pasted=False, reason='prob')
            return results
        self.num_pastes += 1
        if not np.any(mask):
            self._count_empty(results)
            results['copy_paste'] = dict(pasted=False, reason='empty_mask')
            return results
        fg = to_bgr(img)  # H x W x 3
        bg, source = self.background_for(h, w, results.get('img_path'))
        blending = self.blending
        if blending == 'mix':
            blending = 'gaussian' if np.random.rand() < 0.5 else 'none'
        sigma = 0.
        if blending == 'gaussian':
            sigma = self.blur_sigma if self.blur_sigma is not None else max(
                0.5, self.blur_sigma_ratio * min(h, w))
        if self.alpha_source == 'saliency':
            alpha = self._soft_alpha(results, h, w)  # H x W in [0, 1]
            if sigma > 0:
                alpha = blend_alpha(alpha, sigma, binarize=False)
        else:
            # H x W opacity; a boolean mask without blending
            alpha = blend_alpha(mask, sigma) if sigma > 0 else mask > 0
        results['img'] = composite(fg, bg, alpha)  # H x W x 3
        results['copy_paste'] = dict(
            pasted=True, background=source, blending=blending)
        return results

    def _soft_alpha(self, results: dict, h: int, w: int) -> np.ndarray:
        if self.soft_key not in results:
            raise KeyError(
                f'CopyPasteBackground(alpha_source="saliency") needs the '
                f'saliency map results[{self.soft_key!r}] of '
                f'{results.get("img_path", "<in memory>")}: set '
                f'LoadSaliencyMask(soft_key={self.soft_key!r})')
        soft = np.asarray(results[self.soft_key], np.float32)
        if soft.shape[:2] != (h, w):
            soft = mmcv.imresize(soft, (w, h), interpolation='bilinear')
        return np.clip(soft, 0., 1.)

    def __repr__(self) -> str:
        bg = dict(
            gray=f'gray{self.level_range}', folder='folder',
            dataset='dataset')[self.bg_type]
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'background={bg}, blending={self.blending!r}, '
                f'mask_key={self.mask_key!r})')
