# Copyright (c) OpenMMLab. All rights reserved.
"""Drawing of the synthetic fine-grained "birds": class attributes, the
bird's parts and pose, its colours and the backgrounds (clutter, photo,
texture). :func:`~mmfgssl.datasets.synthetic_cub.make_synthetic_cub` writes
sets of them in CUB-200-2011's layout."""
import colorsys
import functools
import itertools
from typing import Dict, FrozenSet, List, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

from mmfgssl.utils.checks import check_choice

__all__ = [
    'ATTRIBUTES', 'BACKGROUNDS', 'PHOTOS', 'SILHOUETTE', 'class_attributes',
    'render_sample'
]

# Discrete part attributes; a class is one combination of their values,
# named by joining the non-empty values, e.g. ``Barred_Longbill_Forktail``.
ATTRIBUTES = {
    'wing': ('Plain', 'Barred', 'Spotted'),
    'crest': ('', 'Crested'),
    'eye_ring': ('', 'Ringed'),
    'bib': ('', 'Bibbed'),
    'beak': ('Shortbill', 'Longbill'),
    'tail': ('Roundtail', 'Forktail', 'Spiketail'),
}
# Parts forming the silhouette (the mask), in painting order, then the
# markings, each clipped to the part it lies on.
SILHOUETTE = ('tail', 'legs', 'body', 'crest', 'head', 'beak')
_CLIP = dict(wing='body', pattern='wing', bib='body', ring='head', eye='head')
# Object-frame corners around the bird of every class (x forward, y down).
_ENVELOPE = np.array([[-0.74, -0.6], [0.8, -0.6], [0.8, 0.44], [-0.74, 0.44]])


def class_attributes(num_classes: int) -> List[Dict[str, str]]:
    """Attribute combinations of the classes, as far apart as possible.

    Greedily, each class differs from all previous ones in as many
    attributes as possible and, among those, from the others on average.

    Args:
        num_classes (int): Number of classes, 1 to 144.

    Returns:
        list[dict]: One ``{attribute: value}`` dict per class.
    """
    combos = list(itertools.product(*ATTRIBUTES.values()))
    codes = np.array(combos)
    if not 1 <= num_classes <= len(codes):
        raise ValueError(f'num_classes must be in [1, {len(codes)}], '
                         f'got {num_classes}')
    chosen, nearest, total = [], np.full(len(codes), 99), 0
    while len(chosen) < num_classes:
        chosen.append(int(np.argmax(nearest * 1000 + total)))
        dist = (codes != codes[chosen[-1]]).sum(1)
        nearest, total = np.minimum(nearest, dist), total + dist
    return [dict(zip(ATTRIBUTES, combos[i])) for i in chosen]


def _ellipse(cx, cy, rx, ry, tilt=0., n=28):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = rx * np.cos(t), ry * np.sin(t)
    c, s = np.cos(tilt), np.sin(tilt)
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], 1)


def _bar(p, q, width):
    p, q = np.asarray(p, float), np.asarray(q, float)
    d = (q - p) / np.linalg.norm(q - p) * width / 2
    n = np.array([-d[1], d[0]])
    return np.stack([p + n, q + n, q - n, p - n])


@functools.lru_cache(maxsize=None)
def _parts(attrs: FrozenSet[Tuple[str, str]]) -> Dict[str, list]:
    """Polygons of the parts of a bird facing +x, about 1.5 units long."""
    a = dict(attrs)
    tail = dict(
        Roundtail=_ellipse(-0.5, 0.06, 0.24, 0.13),
        Forktail=np.array([[-0.3, -0.06], [-0.74, -0.16], [-0.56, 0.05],
                           [-0.74, 0.24], [-0.3, 0.12]]),
        Spiketail=np.array([[-0.3, -0.06], [-0.74, 0.08], [-0.3, 0.12]]))
    pattern = dict(
        Plain=[],
        Barred=[
            _bar((x, -0.2), (x - 0.08, 0.15), 0.045)
            for x in (-0.26, -0.14, -0.02, 0.1)
        ],
        Spotted=[
            _ellipse(x, y, 0.032, 0.032, n=10) for x in (-0.24, -0.1, 0.04)
            for y in (-0.07, 0.04)
        ])
    beak = 0.56 + (0.22 if a['beak'] == 'Longbill' else 0.09)
    crest = np.array([[0.27, -0.38], [0.2, -0.6], [0.34, -0.45], [0.42, -0.58],
                      [0.46, -0.4]])
    return dict(
        tail=[tail[a['tail']]],
        legs=[
            _bar((0.04, 0.2), (0, 0.44), 0.04),
            _bar((0.16, 0.2), (0.14, 0.44), 0.04)
        ],
        body=[_ellipse(0, 0, 0.44, 0.3)],
        crest=[crest] if a['crest'] else [],
        head=[_ellipse(0.38, -0.24, 0.2, 0.2)],
        beak=[np.array([[0.54, -0.31], [beak, -0.22], [0.54, -0.16]])],
        wing=[_ellipse(-0.08, -0.02, 0.3, 0.15, tilt=0.12)],
        pattern=pattern[a['wing']],
        bib=[_ellipse(0.28, 0.06, 0.12, 0.11)] if a['bib'] else [],
        ring=[_ellipse(0.45, -0.27, 0.075, 0.075)] if a['eye_ring'] else [],
        eye=[_ellipse(0.45, -0.27, 0.04, 0.04, n=12)])


def _colour(rng):
    """An RGB colour; one distribution for birds and backgrounds."""
    hsv = rng.uniform(0, 1), rng.uniform(0.25, 0.9), rng.uniform(0.3, 0.95)
    return np.array(colorsys.hsv_to_rgb(*hsv)) * 255


def _contrast(rgb):
    """A colour darker or lighter than ``rgb``, whichever stands out."""
    return rgb * 0.3 if rgb.mean() > 110 else 255 - (255 - rgb) * 0.3


def _palette(rng, hue=None):
    """Part colours; with ``hue`` (in [0, 1)) the body hue is fixed up to a
    small jitter, saturation and value stay random."""
    if hue is None:
        body = _colour(rng)
    else:
        hsv = ((hue + rng.uniform(-0.02, 0.02)) % 1., rng.uniform(0.6, 0.95),
               rng.uniform(0.55, 0.95))
        body = np.array(colorsys.hsv_to_rgb(*hsv)) * 255
    wing = body * rng.uniform(0.55, 0.75)
    return dict(
        tail=wing,
        legs=np.full(3, 60.),
        body=body,
        crest=wing,
        head=body * rng.uniform(0.85, 1.1),
        beak=_colour(rng),
        wing=wing,
        pattern=_contrast(wing),
        bib=_contrast(body),
        ring=np.full(3, 235.),
        eye=np.full(3, 20.))


def _pose(rng, size, scale_range, max_angle=0.3):
    """A random scale, rotation and flip, and a shift keeping all in."""
    scale = size * rng.uniform(*scale_range)
    angle = rng.uniform(-max_angle, max_angle)
    flip = -1. if rng.random() < 0.5 else 1.
    cos, sin = np.cos(angle), np.sin(angle)
    lin = np.array([[cos * flip, -sin], [sin * flip, cos]])
    box = _ENVELOPE @ lin.T
    scale = min(scale, (size - 3) / (box.max(0) - box.min(0)).max())
    low, high = 1 - box.min(0) * scale, size - 2 - box.max(0) * scale
    return lin * scale, low + rng.random(2) * np.maximum(high - low, 0)


def _paint(canvas, attrs, palette, lin, shift, names):
    """Paint the parts ``names`` of a bird into ``canvas``; return masks."""
    parts, size, masks = _parts(frozenset(attrs.items())), len(canvas), {}
    for name in names:
        layer = Image.new('L', (size, size), 0)
        draw = ImageDraw.Draw(layer)
        for poly in parts[name]:
            draw.polygon([tuple(p) for p in poly @ lin.T + shift], fill=1)
        mask = np.asarray(layer, bool)
        if _CLIP.get(name) in masks:
            mask = mask & masks[_CLIP[name]]
        canvas[mask], masks[name] = palette[name], mask
    return masks


def _background(rng, size):
    """Gradient, texture, random shapes and stray bird parts."""
    ramp = np.linspace(0, 1, size)
    angle = rng.uniform(0, 2 * np.pi)
    t = np.cos(angle) * ramp[None, :] + np.sin(angle) * ramp[:, None]
    t = ((t - t.min()) / (t.max() - t.min()))[..., None]
    cells = rng.integers(4, 10)
    texture = Image.fromarray(
        rng.integers(0, 256, (cells, cells, 3), dtype=np.uint8))
    texture = np.asarray(texture.resize((size, size), Image.BICUBIC), float)
    img = (1 - t) * _colour(rng) + t * _colour(rng) + 0.35 * (texture - 128)
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    for _ in range(rng.integers(14, 26)):
        fill = tuple(int(v) for v in _colour(rng))
        kind, (cx, cy) = rng.integers(3), rng.uniform(-0.1, 1.1, 2) * size
        if kind == 0:  # polygon
            ang = np.sort(rng.uniform(0, 2 * np.pi, rng.integers(3, 7)))
            rad = rng.uniform(0.05, 0.25, len(ang)) * size
            draw.polygon([(cx + r * np.cos(a), cy + r * np.sin(a))
                          for a, r in zip(ang, rad)],
                         fill=fill)
        elif kind == 1:  # line, like a twig
            (dx, dy), w = rng.normal(0, 0.3, 2) * size, rng.uniform(.005, .03)
            draw.line([(cx, cy), (cx + dx, cy + dy)],
                      fill=fill,
                      width=max(1, int(w * size)))
        else:  # blob
            rx, ry = rng.uniform(0.03, 0.15, 2) * size
            draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=fill)
    canvas = np.array(pil, float)
    groups = (('wing', 'pattern'), ('head', 'ring', 'eye', 'beak', 'crest'),
              ('tail', ), ('body', 'bib'))
    for _ in range(rng.integers(2, 5)):  # distractors: parts of any class
        attrs = {k: v[rng.integers(len(v))] for k, v in ATTRIBUTES.items()}
        lin, shift = _pose(rng, size, (0.2, 0.45), max_angle=np.pi)
        shift += rng.normal(0, 0.2, 2) * size
        _paint(canvas, attrs, _palette(rng), lin, shift,
               groups[rng.integers(len(groups))])
    return canvas


# scikit-image's bundled photographs (no download), used by 'photo'
PHOTOS = ('astronaut', 'brick', 'camera', 'cat', 'coffee', 'coins',
          'colorwheel', 'grass', 'gravel', 'hubble_deep_field',
          'immunohistochemistry', 'moon', 'page', 'retina', 'rocket', 'text')
BACKGROUNDS = ('clutter', 'photo', 'texture')


@functools.lru_cache(maxsize=None)
def _photo(name: str) -> np.ndarray:
    """A scikit-image photograph as an H x W float luminance in [0, 1]."""
    from skimage import data
    img = np.asarray(getattr(data, name)(), dtype=np.float64)
    if img.ndim == 3:  # RGB(A): luminance of the colour channels
        img = img[..., :3] @ np.array([0.299, 0.587, 0.114])
    return (img - img.min()) / max(img.max() - img.min(), 1e-6)


def _recolour(lum, rng, min_contrast=100.):
    """A luminance map, histogram-equalised, mapped through two random
    colours (a duotone): one salient colouring per image. The two colours
    are drawn until their channel means differ by ``min_contrast`` (of
    255)."""
    values, inverse, counts = np.unique(
        lum, return_inverse=True, return_counts=True)
    mid_rank = np.cumsum(counts) - (counts + 1) / 2  # ties share a rank
    lum = (mid_rank / max(lum.size - 1, 1))[inverse].reshape(lum.shape)
    while True:
        dark, light = _colour(rng), rng.uniform(0, 255, 3)
        if abs((light - dark).mean()) >= min_contrast:
            break
    if rng.random() < 0.5:
        dark, light = light, dark
    return dark + lum[..., None] * (light - dark)  # H x W x 3


def _photo_background(rng, size):
    """A random crop of a bundled photograph, flipped, resized, recoloured."""
    photo = _photo(PHOTOS[rng.integers(len(PHOTOS))])
    side = int(min(photo.shape) * rng.uniform(0.25, 0.7))
    y0 = rng.integers(photo.shape[0] - side + 1)
    x0 = rng.integers(photo.shape[1] - side + 1)
    crop = photo[y0:y0 + side, x0:x0 + side]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    if rng.random() < 0.5:
        crop = crop.T
    pil = Image.fromarray(np.uint8(crop * 255)).resize((size, size),
                                                       Image.BILINEAR)
    return _recolour(np.asarray(pil, float) / 255, rng)


def _texture_background(rng, size):
    """Two crossed sine gratings of random frequency and orientation."""
    yy, xx = np.mgrid[0:size, 0:size] / size
    lum = np.ones((size, size))
    for _ in range(2):
        angle, cycles = rng.uniform(0, np.pi), rng.uniform(2, 9)
        phase = rng.uniform(0, 2 * np.pi)
        wave = np.cos(angle) * xx + np.sin(angle) * yy
        lum = lum * (1 + np.sin(2 * np.pi * cycles * wave + phase)) / 2
    return _recolour(lum, rng)


def render_sample(attrs: Dict[str, str],
                  img_size: int,
                  key: Sequence[int],
                  background: str = 'clutter',
                  object_scale: Sequence[float] = (0.45, 0.62),
                  hue: float = None) -> Tuple[np.ndarray, np.ndarray]:
    """Render one image and the mask of its object.

    The background, the pose and colours, and the noise come from three
    random streams seeded with ``(*key, stream)``. None of them depends on
    ``attrs``: two classes rendered with one key differ only in the object.

    Args:
        attrs (dict): Class attributes, see :func:`class_attributes`.
        img_size (int): Side of the square image in pixels.
        key (Sequence[int]): Non-negative integers naming the image.
        background (str): ``'clutter'`` (shared distribution of shapes and
            stray bird parts), ``'photo'`` (a recoloured crop of a
            scikit-image photograph) or ``'texture'`` (recoloured crossed
            gratings). Defaults to 'clutter'.
        object_scale (Sequence[float]): Range of the object's length as a
            fraction of the image side. Defaults to (0.45, 0.62).
        hue (float, optional): The class's body hue in [0, 1); None draws
            the object colours from the shared distribution. Defaults to
            None.

    Returns:
        tuple[np.ndarray, np.ndarray]: The ``(H, W, 3)`` uint8 RGB image and
        the ``(H, W)`` bool mask of the pixels the object was painted on.
    """
    bg_rng, obj_rng, noise_rng = (
        np.random.default_rng([*key, stream]) for stream in range(3))
    check_choice('background', background, BACKGROUNDS)
    if not 0 < object_scale[0] <= object_scale[1] <= 1:
        raise ValueError('object_scale must be (low, high) with 0 < low <= '
                         f'high <= 1, got {tuple(object_scale)}')
    canvas = dict(
        clutter=_background,
        photo=_photo_background,
        texture=_texture_background)[background](bg_rng, img_size)
    lin, shift = _pose(obj_rng, img_size, tuple(object_scale))
    masks = _paint(canvas, attrs, _palette(obj_rng, hue), lin, shift,
                   SILHOUETTE + tuple(_CLIP))
    canvas += noise_rng.normal(0, 4, canvas.shape)
    image = np.clip(np.rint(canvas), 0, 255).astype(np.uint8)
    return image, np.any([masks[n] for n in SILHOUETTE], axis=0)
