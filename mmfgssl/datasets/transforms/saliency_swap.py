# Copyright (c) OpenMMLab. All rights reserved.
from typing import List, Optional, Sequence, Tuple, Union

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.dataset import BaseDataset
from mmpretrain.registry import TRANSFORMS

from mmfgssl.utils.checks import check_choice
from ..background_source import BackgroundSource
from ..saliency import SaliencyBoxSource, to_bgr
from .functional import (check_area_range, integer_box, paste_patch,
                         sample_paste_box, sample_patch_in_box)


@TRANSFORMS.register_module()
class SaliencySwap(BaseTransform):
    """SaliencySwap view generation of CVSA (Align Yourself, AAAI 2022,
    Sec. 4.1, Fig. 5), a replacement of RandomResizedCrop.

    For one view of a foreground image with object box ``B_f``:

    1. a patch of area ``r * area(B_f)``, ``r ~ U(lambda, 1)``
       (``crop_ratio_range``), with RandomResizedCrop's aspect-ratio law, is
       cut inside ``B_f`` (see :func:`sample_patch_in_box`);
    2. a background image ``J`` is drawn from the ``backgrounds`` datasets
       (uniformly from their union, or by per-set ``weight``) and resized
       to the output ``scale``;
    3. the patch is resized and pasted on ``J``:

       - ``mode='replace_box'`` (mode I, background from a fine-grained set
         with boxes, e.g. the training set itself): over ``J``'s own object
         box ``B_b``, which it replaces;
       - ``mode='paste'`` (mode II, e.g. COCO): with area ratio
         ``a ~ U(beta, 1)`` of ``J`` (``paste_ratio_range``) and the patch's
         aspect ratio, at a random location (:func:`sample_paste_box`);

    4. the view's saliency mask ``M_v`` is 1 over the pasted region.

    The colour augmentations follow in the view pipeline; geometric ones
    must move ``mask_key`` with the image (mmcv's ``RandomFlip``, ``Resize``
    and ``CenterCrop`` do for the default ``'gt_seg_map'``), and
    :class:`MultiViewWithMask` collects each view's mask.

    Backgrounds are read lazily, in each data-loader worker, from dataset
    configs (built without pipeline, only their sample lists are used) or
    dataset objects. The training set itself (mode I) is
    ``dataset='train_set'``: the dataset whose pipeline holds this transform
    binds itself to it when it is built (mmfgssl's datasets do; for others,
    ``BindTrainSetHook``), so the backgrounds follow an override of the
    training set's ``data_root``; draws skip the foreground image itself.
    The boxes of the foreground and of mode-I backgrounds come from
    ``box_source`` (:class:`SaliencyBoxSource`: ground truth by default, or
    a saliency map on disk, or a detector); a background entry may set its
    own ``box_source``.

    **In-batch backgrounds** (``dict(recent=N, mode=...)``, the only
    background entry): instead of decoding one more image per view, the
    background is drawn uniformly from the last ``N`` distinct foreground
    images this transform has seen in its worker, kept decoded with their
    boxes. A data-loader worker builds whole batches of consecutive
    samples, so with ``N`` >= the batch size these are the images of the
    current (and previous) batch: foregrounds are swapped between images of
    the batch, with no extra decode. When no other image is held yet (the
    first sample of a worker), the image itself is the background; such
    draws are counted in :attr:`num_self_backgrounds`.

    Gray and RGBA images become 3-channel BGR; a background smaller than
    the output is upsampled to it; boxes touching the image border are used
    as they are.

    **Required Keys:**

    - img
    - gt_bboxes (with ``box_source=dict(kind='gt')``)
    - img_path (with a saliency-map source, and to skip the image itself)

    **Modified Keys:**

    - img
    - img_shape
    - gt_bboxes (the pasted region, ``1 x 4`` float32)

    **Added Keys:**

    - ``mask_key`` (``'gt_seg_map'``): ``H x W`` uint8 mask, 1 where pasted
    - saliency_swap (dict): ``patch`` (the crop in the foreground image),
      ``paste`` (the pasted region), ``background`` (its path) and ``mode``

    Args:
        scale (int | tuple[int]): Output size, ``S`` or ``(w, h)``.
        backgrounds (dict | list[dict]): Background sources, each
            ``dict(dataset=<dataset config, object or 'train_set'>,
            mode='replace_box' |
            'paste', box_source=None, weight=None)``, or one in-batch source
            ``dict(recent=N, mode=...)``. Without ``weight`` (default) a
            background is drawn uniformly from the union of the sets, so a
            large set dominates (CUB + COCO: about 95 % COCO); with a
            ``weight`` on every entry, a set is drawn with probability
            ``weight / sum(weights)``, then an image of it uniformly.
        crop_ratio_range (tuple[float]): ``(lambda, 1)``. Defaults to
            ``(0.5, 1.0)`` (CVSA A.2).
        aspect_ratio_range (tuple[float]): Patch aspect ratios ``w / h``.
            Defaults to ``(3/4, 4/3)`` as RandomResizedCrop.
        paste_ratio_range (tuple[float]): ``(beta, 1)`` of mode II. The paper
            gives no value; defaults to ``(0.5, 1.0)``.
        box_source (dict): :class:`SaliencyBoxSource` arguments. Defaults to
            ``dict(kind='gt')``.
        interpolation (str): Resize interpolation. Defaults to 'bilinear'.
        backend (str): Resize backend, 'cv2' or 'pillow'. Defaults to 'cv2'.
        mask_key (str): Where the view mask is stored. Defaults to
            ``'gt_seg_map'``, which mmcv's geometric transforms move.
    """

    MODES = ('replace_box', 'paste')

    def __init__(self,
                 scale: Union[int, Tuple[int, int]],
                 backgrounds: Union[dict, Sequence[dict]],
                 crop_ratio_range: Tuple[float, float] = (0.5, 1.0),
                 aspect_ratio_range: Tuple[float, float] = (3. / 4., 4. / 3.),
                 paste_ratio_range: Tuple[float, float] = (0.5, 1.0),
                 box_source: Optional[dict] = None,
                 interpolation: str = 'bilinear',
                 backend: str = 'cv2',
                 mask_key: str = 'gt_seg_map') -> None:
        if isinstance(scale, int):
            scale = (scale, scale)
        self.scale = tuple(scale)  # (w, h)
        if isinstance(backgrounds, dict):
            backgrounds = [backgrounds]
        if not backgrounds:
            raise ValueError('SaliencySwap.backgrounds must name at least one '
                             'background dataset')
        self.backgrounds = []
        self.recent = None
        for i, bg in enumerate(backgrounds):
            bg = dict(bg)
            unknown = set(bg) - {
                'dataset', 'mode', 'box_source', 'recent', 'weight'
            }
            if ('dataset' in bg) == ('recent' in bg) or unknown:
                raise ValueError(
                    f'SaliencySwap.backgrounds[{i}] must be dict(dataset=..., '
                    f'mode=..., box_source=...) or dict(recent=N, mode=...), '
                    f'got keys {sorted(bg)}')
            if 'recent' in bg:
                if len(backgrounds) != 1:
                    raise ValueError(
                        'SaliencySwap.backgrounds: an in-batch source '
                        'dict(recent=N, ...) must be the only background '
                        f'entry, got {len(backgrounds)} entries')
                if not isinstance(bg['recent'], int) or bg['recent'] < 1:
                    raise ValueError(
                        f'SaliencySwap.backgrounds[{i}].recent must be a '
                        f"positive int, got {bg['recent']!r}")
                self.recent = bg['recent']
            mode = bg.get('mode', 'replace_box')
            check_choice(f'SaliencySwap.backgrounds[{i}].mode', mode,
                         self.MODES)
            weight = bg.get('weight')
            src = bg.get('box_source') or box_source or dict(kind='gt')
            self.backgrounds.append(
                dict(
                    dataset=bg.get('dataset'),
                    mode=mode,
                    weight=weight,
                    box_source=SaliencyBoxSource(
                        **src,
                        cfg_key=f'SaliencySwap.backgrounds[{i}].box_source')
                    if mode == 'replace_box' else None))
        weighted = [bg['weight'] is not None for bg in self.backgrounds]
        if any(weighted) and not all(weighted):
            raise ValueError(
                'SaliencySwap.backgrounds: give a weight to every background '
                'entry or to none, got weights '
                f"{[bg['weight'] for bg in self.backgrounds]}")
        self.background_source = None
        if self.recent is None:
            self.background_source = BackgroundSource(
                [bg['dataset'] for bg in self.backgrounds],
                [bg['weight']
                 for bg in self.backgrounds] if all(weighted) else None,
                cfg_key='SaliencySwap.backgrounds',
                owner='SaliencySwap')
        for name, rng in (('crop_ratio_range', crop_ratio_range),
                          ('paste_ratio_range', paste_ratio_range)):
            check_area_range(f'SaliencySwap.{name}', rng)
        self.crop_ratio_range = tuple(crop_ratio_range)
        self.aspect_ratio_range = tuple(aspect_ratio_range)
        self.paste_ratio_range = tuple(paste_ratio_range)
        self.box_source = SaliencyBoxSource(
            **(box_source or dict(kind='gt')),
            cfg_key='SaliencySwap.box_source')
        self.interpolation = interpolation
        self.backend = backend
        self.mask_key = mask_key
        # in-batch source: (img_path, image, box in its pixels), newest last
        self._held: List[Tuple[Optional[str], np.ndarray, np.ndarray]] = []
        self.num_self_backgrounds = 0

    # ---------------------------------------------------------- backgrounds
    def bind_train_set(self, dataset: BaseDataset) -> None:
        """Draw the ``'train_set'`` backgrounds from ``dataset``, and fill
        ``{data_root}`` in the box sources' folders with its data root."""
        if self.background_source is not None:
            self.background_source.bind_train_set(dataset)
        root = getattr(dataset, 'data_root', None)
        if root is not None:
            self.box_source.bind_data_root(root)
            for bg in self.backgrounds:
                if bg['box_source'] is not None:
                    bg['box_source'].bind_data_root(root)

    def _draw_held(self, fg_path: Optional[str], fg: np.ndarray,
                   fg_box: np.ndarray) -> Tuple[dict, dict, np.ndarray]:
        """Draw a background among the held recent foregrounds (no
        decode), then hold the current foreground."""
        others = [h for h in self._held if h[0] is None or h[0] != fg_path]
        if others:
            path, bg, box = others[int(np.random.randint(len(others)))]
        else:
            path, bg, box = fg_path, fg, fg_box
            self.num_self_backgrounds += 1
        if not self._held or fg_path is None or self._held[-1][0] != fg_path:
            # two views of one sample come in a row: hold the image once
            self._held.append((fg_path, fg, fg_box))
            del self._held[:-self.recent]
        return self.backgrounds[0], dict(img_path=path, bg_box=box), bg

    def _resize(self, img: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
        if img.shape[1::-1] == tuple(size):
            return img
        return mmcv.imresize(
            img, size, interpolation=self.interpolation, backend=self.backend)

    # ------------------------------------------------------------ transform
    def transform(self, results: dict) -> dict:
        """Make one SaliencySwap view of ``results['img']``."""
        fg = to_bgr(results['img'])  # H x W x 3
        results['img'] = fg
        fg_h, fg_w = fg.shape[:2]
        fg_box_raw, _ = self.box_source(results)  # float x1 y1 x2 y2
        fg_box = integer_box(fg_box_raw, fg_w, fg_h)
        px1, py1, px2, py2 = sample_patch_in_box(fg_box, self.crop_ratio_range,
                                                 self.aspect_ratio_range)
        patch = fg[py1:py2, px1:px2]  # h_p x w_p x 3

        if self.recent:
            bg_cfg, info, bg = self._draw_held(
                results.get('img_path'), fg,
                np.asarray(fg_box_raw, np.float32))  # bg: H_b x W_b x 3
        else:
            which, info = self.background_source.draw(results.get('img_path'))
            bg_cfg = self.backgrounds[which]
            bg = self.background_source.load(info['img_path'])  # H_b x W_b x 3
        out_w, out_h = self.scale
        if bg_cfg['mode'] == 'replace_box':
            if self.recent:
                bg_box = info['bg_box']
            else:
                bg_box, _ = bg_cfg['box_source'](dict(info, img=bg))
            sx, sy = out_w / bg.shape[1], out_h / bg.shape[0]
            paste = integer_box(bg_box * np.array([sx, sy, sx, sy]), out_w,
                                out_h)
        else:
            paste = sample_paste_box(out_w, out_h, px2 - px1, py2 - py1,
                                     self.paste_ratio_range)
        bg = self._resize(bg, (out_w, out_h))  # out_h x out_w x 3
        qx1, qy1, qx2, qy2 = paste
        resized = self._resize(patch, (qx2 - qx1, qy2 - qy1))
        img, mask = paste_patch(bg, resized, paste)  # S x S x 3, S x S

        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results[self.mask_key] = mask
        results['gt_bboxes'] = np.array([paste], dtype=np.float32)  # 1 x 4
        results['saliency_swap'] = dict(
            patch=(px1, py1, px2, py2),
            paste=paste,
            background=info['img_path'],
            mode=bg_cfg['mode'])
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(scale={self.scale}, '
                f'crop_ratio_range={self.crop_ratio_range}, '
                f'aspect_ratio_range={self.aspect_ratio_range}, '
                f'paste_ratio_range={self.paste_ratio_range}, '
                f'modes={[bg["mode"] for bg in self.backgrounds]}, '
                f'recent={self.recent}, '
                f'box_source={self.box_source.kind})')
