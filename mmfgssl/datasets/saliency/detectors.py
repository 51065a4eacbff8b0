# Copyright (c) OpenMMLab. All rights reserved.
"""Unsupervised saliency detectors, without learned weights.

Every detector takes a BGR (or grayscale) ``uint8`` image and returns an
``H x W`` float32 map in [0, 1] (a constant map when the image has no
structure). They feed CVSA's saliency boxes (Table 6 compares VSF, GS, RBD,
BASNet against the ground-truth box) and DiLo's saliency masks.

- ``'spectral_residual'``: OpenCV contrib's
  ``cv2.saliency.StaticSaliencySpectralResidual`` (Hou & Zhang, CVPR 2007).
- ``'fine_grained'``: OpenCV contrib's
  ``cv2.saliency.StaticSaliencyFineGrained`` (Montabone & Soto 2010, the
  "VSF" of CVSA Table 6).
- ``'background_prior'``: a background-prior detector in the spirit of RBD
  (Zhu et al., "Saliency Optimization from Robust Background Detection",
  CVPR 2014), implemented here with SLIC superpixels (scikit-image) and
  numpy / scipy: boundary connectivity -> background probability,
  background-weighted contrast, then the paper's least-squares saliency
  optimisation.

The OpenCV ones need ``opencv-contrib-python(-headless)``; without it they
raise an ImportError that says so.
"""
from typing import Callable, Dict

import cv2
import numpy as np

__all__ = [
    'SALIENCY_DETECTORS', 'background_prior_saliency', 'compute_saliency',
    'fine_grained_saliency', 'spectral_residual_saliency', 'to_bgr'
]


def to_bgr(img: np.ndarray) -> np.ndarray:
    """A 3-channel ``uint8`` BGR copy of a gray, BGR or BGRA image."""
    img = np.asarray(img)
    if img.dtype != np.uint8:
        img = np.clip(img, 0, 255).astype(np.uint8)
    if img.ndim == 2:
        return np.repeat(img[..., None], 3, axis=2)
    if img.ndim == 3 and img.shape[2] == 1:
        return np.repeat(img, 3, axis=2)
    if img.ndim == 3 and img.shape[2] == 4:
        return np.ascontiguousarray(img[..., :3])
    if img.ndim == 3 and img.shape[2] == 3:
        return img
    raise ValueError(f'Expected a gray, BGR or BGRA image, got shape '
                     f'{img.shape}')


def _normalise(sal: np.ndarray) -> np.ndarray:
    """Min-max normalise to [0, 1] (a constant map becomes all zeros)."""
    sal = np.nan_to_num(np.asarray(sal, dtype=np.float32))
    low, high = float(sal.min()), float(sal.max())
    if high - low < 1e-12:
        return np.zeros_like(sal)
    return (sal - low) / (high - low)


def _opencv_saliency(name: str):
    saliency = getattr(cv2, 'saliency', None)
    if saliency is None:
        raise ImportError(
            f'The saliency detector needs cv2.saliency.{name} from OpenCV '
            'contrib: pip install opencv-contrib-python-headless (and '
            'uninstall opencv-python, they share the cv2 module).')
    return getattr(saliency, name + '_create')()


def spectral_residual_saliency(img: np.ndarray) -> np.ndarray:
    """OpenCV's spectral-residual static saliency, ``H x W`` in [0, 1]."""
    ok, sal = _opencv_saliency('StaticSaliencySpectralResidual')\
        .computeSaliency(to_bgr(img))
    if not ok:
        raise RuntimeError('StaticSaliencySpectralResidual failed')
    return _normalise(sal)


def fine_grained_saliency(img: np.ndarray) -> np.ndarray:
    """OpenCV's fine-grained static saliency, ``H x W`` in [0, 1]."""
    ok, sal = _opencv_saliency('StaticSaliencyFineGrained')\
        .computeSaliency(to_bgr(img))
    if not ok:
        raise RuntimeError('StaticSaliencyFineGrained failed')
    return _normalise(sal)


def background_prior_saliency(img: np.ndarray,
                              n_segments: int = 200,
                              max_side: int = 256,
                              sigma_clr: float = 10.0,
                              sigma_bndcon: float = 1.0,
                              sigma_spa: float = 0.25,
                              mu: float = 0.1) -> np.ndarray:
    """A background-prior saliency map in the spirit of RBD (CVPR 2014).

    1. SLIC superpixels on the image (longer side resized to ``max_side``),
       mean CIE-Lab colour and centroid per superpixel.
    2. Geodesic distance ``d_geo(p, q)`` between superpixels along the
       adjacency graph, edge weight = Lab distance (RBD Eq. 2).
    3. Boundary connectivity ``BndCon(p) = Len_bnd(p) / sqrt(Area(p))`` with
       ``Area(p) = sum_q exp(-d_geo^2 / (2 sigma_clr^2))`` and ``Len_bnd``
       the same sum over image-border superpixels (RBD Eqs. 3-5); background
       probability ``w_bg = 1 - exp(-BndCon^2 / (2 sigma_bndcon^2))``.
    4. Background-weighted contrast ``wCtr(p) = sum_q d_app(p, q)
       w_spa(p, q) w_bg(q)`` (RBD Eq. 7), the foreground term.
    5. RBD's optimisation (Eq. 9): ``min_s sum w_bg s^2 + sum wCtr (s-1)^2
       + sum_ij w_ij (s_i - s_j)^2 (+ mu)`` over adjacent superpixels,
       a sparse linear system.

    Args:
        img (np.ndarray): BGR, BGRA or gray ``uint8`` image.
        n_segments (int): SLIC superpixels. Defaults to 200.
        max_side (int): Working resolution. Defaults to 256.
        sigma_clr, sigma_bndcon, sigma_spa, mu: RBD's constants (10, 1,
            0.25 of the normalised image diagonal, 0.1).

    Returns:
        np.ndarray: ``H x W`` float32 saliency in [0, 1] at the input size.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra
    from skimage.color import rgb2lab
    from skimage.segmentation import slic

    bgr = to_bgr(img)
    h, w = bgr.shape[:2]
    scale = min(1.0, max_side / max(h, w))
    small = bgr if scale == 1.0 else cv2.resize(
        bgr, (max(1, round(w * scale)), max(1, round(h * scale))),
        interpolation=cv2.INTER_AREA)
    sh, sw = small.shape[:2]
    lab = rgb2lab(small[..., ::-1])  # sh x sw x 3
    labels = slic(
        small[..., ::-1],
        n_segments=n_segments,
        compactness=10,
        start_label=0,
        channel_axis=-1)  # sh x sw
    _, labels = np.unique(labels, return_inverse=True)
    labels = labels.reshape(sh, sw)
    n = int(labels.max()) + 1
    if n < 2:
        return np.zeros((h, w), np.float32)
    counts = np.bincount(labels.ravel(), minlength=n).astype(np.float64)
    colour = np.stack([
        np.bincount(labels.ravel(), lab[..., c].ravel(), n) / counts
        for c in range(3)
    ], 1)  # n x 3
    ys, xs = np.mgrid[0:sh, 0:sw]
    centre = np.stack([
        np.bincount(labels.ravel(),
                    xs.ravel() / max(sw, sh), n) / counts,
        np.bincount(labels.ravel(),
                    ys.ravel() / max(sw, sh), n) / counts
    ], 1)  # n x 2

    # adjacency of 4-connected neighbouring superpixels
    pairs = np.concatenate([
        np.stack([labels[:, :-1].ravel(), labels[:, 1:].ravel()], 1),
        np.stack([labels[:-1].ravel(), labels[1:].ravel()], 1)
    ])
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs = np.unique(np.sort(pairs, 1), axis=0)  # E x 2
    d_app = np.linalg.norm(colour[:, None] - colour[None], axis=2)  # n x n
    edge_w = d_app[pairs[:, 0], pairs[:, 1]] + 1e-6  # E
    graph = coo_matrix((edge_w, (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    d_geo = dijkstra(graph, directed=False)  # n x n
    d_geo[~np.isfinite(d_geo)] = 1e6
    similarity = np.exp(-d_geo**2 / (2 * sigma_clr**2))  # n x n
    area = similarity.sum(1)  # n
    border = np.unique(
        np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    len_bnd = similarity[:, border].sum(1)  # n
    bnd_con = len_bnd / np.sqrt(area)  # n
    w_bg = 1 - np.exp(-bnd_con**2 / (2 * sigma_bndcon**2))  # n
    d_spa = np.linalg.norm(centre[:, None] - centre[None], axis=2)  # n x n
    w_spa = np.exp(-d_spa**2 / (2 * sigma_spa**2))  # n x n
    w_ctr = (d_app * w_spa * w_bg[None]).sum(1)  # n
    w_fg = _normalise(w_ctr).astype(np.float64)  # n

    # RBD Eq. 9 as a linear system: (D_bg + D_fg + L_smooth) s = w_fg
    smooth = np.exp(-d_app[pairs[:, 0], pairs[:, 1]]**2 /
                    (2 * sigma_clr**2)) + mu  # E
    system = np.diag(w_bg + w_fg)
    np.add.at(system, (pairs[:, 0], pairs[:, 0]), smooth)
    np.add.at(system, (pairs[:, 1], pairs[:, 1]), smooth)
    np.add.at(system, (pairs[:, 0], pairs[:, 1]), -smooth)
    np.add.at(system, (pairs[:, 1], pairs[:, 0]), -smooth)
    system += 1e-9 * np.eye(n)
    sal = np.clip(np.linalg.solve(system, w_fg), 0, None)  # n
    sal_map = sal[labels].astype(np.float32)  # sh x sw
    if (sh, sw) != (h, w):
        sal_map = cv2.resize(sal_map, (w, h), interpolation=cv2.INTER_LINEAR)
    return _normalise(sal_map)


SALIENCY_DETECTORS: Dict[str, Callable[[np.ndarray], np.ndarray]] = {
    'spectral_residual': spectral_residual_saliency,
    'fine_grained': fine_grained_saliency,
    'background_prior': background_prior_saliency,
}


def compute_saliency(img: np.ndarray, method: str, **kwargs) -> np.ndarray:
    """Run the detector ``method`` (a key of :data:`SALIENCY_DETECTORS`)."""
    if method not in SALIENCY_DETECTORS:
        raise KeyError(f'Unknown saliency detector {method!r}; choose one of '
                       f'{sorted(SALIENCY_DETECTORS)}')
    return SALIENCY_DETECTORS[method](img, **kwargs)
