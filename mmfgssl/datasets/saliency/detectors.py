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
- ``'geodesic'``: geodesic saliency, GS (Wei et al., "Geodesic Saliency
  Using Background Priors", ECCV 2012), on the same superpixel graph: the
  shortest path to the image border with clipped colour-distance edges.
- ``'markov'``: absorbing-Markov-chain saliency, MC (Jiang et al., "Saliency
  Detection via Absorbing Markov Chain", ICCV 2013): the expected time a
  random walk from a superpixel takes to be absorbed by copies of the border
  superpixels.

GS and MC are two of the unsupervised estimators of DiLo's Table 2a (and GS
of CVSA's Table 6); both are written here from the papers' descriptions on
the superpixel graph of :func:`superpixel_graph`.

The OpenCV ones need ``opencv-contrib-python(-headless)``; without it they
raise an ImportError that says so.
"""
from typing import Callable, Dict

import cv2
import numpy as np

from .minmax import minmax_normalize

__all__ = [
    'SALIENCY_DETECTORS', 'absorbed_time', 'background_prior_saliency',
    'compute_saliency', 'fine_grained_saliency', 'geodesic_saliency',
    'geodesic_to_border', 'markov_saliency', 'spectral_residual_saliency',
    'superpixel_graph', 'to_bgr'
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
    """Min-max normalise a detector's map to float32 [0, 1] (a constant map
    becomes all zeros)."""
    return minmax_normalize(sal, np.float32, eps=1e-12, nan_to_zero=True)


def _opencv_saliency(name: str):
    saliency = getattr(cv2, 'saliency', None)
    if saliency is None:
        raise ImportError(
            f'The saliency detector needs cv2.saliency.{name} from OpenCV '
            'contrib: pip install opencv-contrib-python-headless (and '
            'uninstall opencv-python, they share the cv2 module).')
    return getattr(saliency, name + '_create')()


def _opencv_static_saliency(name: str, img: np.ndarray) -> np.ndarray:
    """The map of OpenCV contrib's static saliency ``name``, in [0, 1]."""
    ok, sal = _opencv_saliency(name).computeSaliency(to_bgr(img))
    if not ok:
        raise RuntimeError(f'{name} failed')
    return _normalise(sal)


def spectral_residual_saliency(img: np.ndarray) -> np.ndarray:
    """OpenCV's spectral-residual static saliency, ``H x W`` in [0, 1]."""
    return _opencv_static_saliency('StaticSaliencySpectralResidual', img)


def fine_grained_saliency(img: np.ndarray) -> np.ndarray:
    """OpenCV's fine-grained static saliency, ``H x W`` in [0, 1]."""
    return _opencv_static_saliency('StaticSaliencyFineGrained', img)


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

    graph = superpixel_graph(img, n_segments, max_side)
    colour, pairs = graph['colour'], graph['pairs']
    border, centre = graph['border'], graph['centre']
    n = len(colour)
    if n < 2:
        return np.zeros(graph['shape'], np.float32)
    d_app = np.linalg.norm(colour[:, None] - colour[None], axis=2)  # n x n
    edge_w = d_app[pairs[:, 0], pairs[:, 1]] + 1e-6  # E
    sparse = coo_matrix((edge_w, (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    d_geo = dijkstra(sparse, directed=False)  # n x n
    d_geo[~np.isfinite(d_geo)] = 1e6
    similarity = np.exp(-d_geo**2 / (2 * sigma_clr**2))  # n x n
    area = similarity.sum(1)  # n
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
    return _to_map(sal, graph)


def superpixel_graph(img: np.ndarray,
                     n_segments: int = 200,
                     max_side: int = 256) -> dict:
    """SLIC superpixels of an image and their adjacency graph.

    Args:
        img (np.ndarray): BGR, BGRA or gray ``uint8`` image.
        n_segments (int): SLIC superpixels. Defaults to 200.
        max_side (int): Working resolution (longer side). Defaults to 256.

    Returns:
        dict: ``labels`` (``h x w`` superpixel index at the working size),
        ``colour`` (``n x 3`` mean CIE-Lab), ``pairs`` (``E x 2`` adjacent
        superpixels, 4-connectivity, ``i < j``), ``border`` (indices of the
        superpixels touching the image border), ``centre`` (``n x 2``
        centroids ``(x, y)`` over the longer working side) and ``shape``
        (``(H, W)`` of the input).
    """
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
    counts = np.bincount(labels.ravel(), minlength=n).astype(np.float64)
    colour = np.stack([
        np.bincount(labels.ravel(), lab[..., c].ravel(), n) / counts
        for c in range(3)
    ], 1)  # n x 3
    pairs = np.concatenate([
        np.stack([labels[:, :-1].ravel(), labels[:, 1:].ravel()], 1),
        np.stack([labels[:-1].ravel(), labels[1:].ravel()], 1)
    ])
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs = np.unique(np.sort(pairs, 1), axis=0).reshape(-1, 2)  # E x 2
    border = np.unique(
        np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    ys, xs = np.mgrid[0:sh, 0:sw]
    centre = np.stack([
        np.bincount(labels.ravel(),
                    xs.ravel() / max(sw, sh), n) / counts,
        np.bincount(labels.ravel(),
                    ys.ravel() / max(sw, sh), n) / counts
    ], 1)  # n x 2
    return dict(
        labels=labels,
        colour=colour,
        pairs=pairs,
        border=border,
        centre=centre,
        shape=(h, w))


def _to_map(values: np.ndarray, graph: dict) -> np.ndarray:
    """Per-superpixel values -> ``H x W`` float32 map in [0, 1]."""
    sal_map = values[graph['labels']].astype(np.float32)  # h x w
    h, w = graph['shape']
    if sal_map.shape != (h, w):
        sal_map = cv2.resize(sal_map, (w, h), interpolation=cv2.INTER_LINEAR)
    return _normalise(sal_map)


def _superpixel_saliency(img: np.ndarray, n_segments: int, max_side: int,
                         per_superpixel: Callable) -> np.ndarray:
    """``per_superpixel(colour, pairs, border)`` on the image's
    :func:`superpixel_graph`, as an ``H x W`` map in [0, 1]; a constant
    (zero) map when there is one superpixel or all are of one colour
    (nothing can be salient)."""
    graph = superpixel_graph(img, n_segments, max_side)
    colour = graph['colour']
    if len(colour) < 2 or float(np.ptp(colour, axis=0).max()) < 1e-6:
        return np.zeros(graph['shape'], np.float32)
    return _to_map(
        per_superpixel(colour, graph['pairs'], graph['border']), graph)


def geodesic_to_border(colour: np.ndarray, pairs: np.ndarray,
                       border: np.ndarray) -> np.ndarray:
    """GS (ECCV 2012): each superpixel's geodesic distance to the border.

    Edge ``(i, j)`` of the adjacency graph weighs ``max(0, ||c_i - c_j|| -
    t)``, the Lab distance clipped by ``t``, the mean over superpixels of the
    distance to their most similar neighbour (GS's "weight clipping", which
    keeps many small steps inside the background from adding up). The
    border superpixels join a virtual background node at cost 0, so the
    saliency of a superpixel is its shortest-path cost to any border one.

    Args:
        colour (np.ndarray): ``n x 3`` mean colours.
        pairs (np.ndarray): ``E x 2`` adjacent superpixels.
        border (np.ndarray): Indices of the border superpixels.

    Returns:
        np.ndarray: ``n`` float64 distances (0 on the border).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    n = len(colour)
    d = np.linalg.norm(colour[pairs[:, 0]] - colour[pairs[:, 1]], axis=1)
    nearest = np.full(n, np.inf)
    np.minimum.at(nearest, pairs[:, 0], d)
    np.minimum.at(nearest, pairs[:, 1], d)
    t = nearest[np.isfinite(nearest)].mean() if np.isfinite(
        nearest).any() else 0.
    weight = np.maximum(d - t, 0.) + 1e-9  # E, > 0 so scipy keeps the edge
    graph = coo_matrix((weight, (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    dist = dijkstra(graph, directed=False, indices=border, min_only=True)
    dist[~np.isfinite(dist)] = 0.  # a component without border: no prior
    return dist


def geodesic_saliency(img: np.ndarray,
                      n_segments: int = 200,
                      max_side: int = 256) -> np.ndarray:
    """GS saliency map (see :func:`geodesic_to_border`).

    Returns:
        np.ndarray: ``H x W`` float32 saliency in [0, 1] at the input size.
    """
    return _superpixel_saliency(img, n_segments, max_side, geodesic_to_border)


def absorbed_time(colour: np.ndarray,
                  pairs: np.ndarray,
                  border: np.ndarray,
                  sigma2: float = 0.1) -> np.ndarray:
    """MC (ICCV 2013): expected steps before absorption of a random walk.

    Every superpixel is a transient node; every border superpixel also has
    an absorbing copy. Affinities ``w_ij = exp(-||c_i - c_j|| / sigma2)``
    (colours scaled to [0, 1] per channel over the image) join adjacent
    superpixels, superpixels sharing a neighbour, and every two border
    superpixels (MC's graph); a transient node ``i`` links to the absorbing
    copy of a border node ``j`` with ``w_ij`` when ``i`` is ``j`` (weight 1)
    or one of its neighbours. With ``Q`` the transient-to-transient block of
    the row-normalised transition matrix, the absorbed times are
    ``y = (I - Q)^-1 1``: long for nodes far (in appearance) from the
    border, i.e. salient.

    Args:
        colour (np.ndarray): ``n x 3`` mean colours.
        pairs (np.ndarray): ``E x 2`` adjacent superpixels.
        border (np.ndarray): Indices of the border superpixels.
        sigma2 (float): ``sigma^2`` of the affinity. Defaults to 0.1 (MC).

    Returns:
        np.ndarray: ``n`` float64 absorbed times (>= 1).
    """
    n = len(colour)
    span = colour.max(0) - colour.min(0)
    c = (colour - colour.min(0)) / np.where(span > 0, span, 1.)  # n x 3
    adj = np.zeros((n, n), bool)
    adj[pairs[:, 0], pairs[:, 1]] = adj[pairs[:, 1], pairs[:, 0]] = True
    ring2 = (adj.astype(np.int64) @ adj.astype(np.int64)) > 0
    links = adj | ring2
    links[np.ix_(border, border)] = True
    np.fill_diagonal(links, False)
    dist = np.linalg.norm(c[:, None] - c[None], axis=2)  # n x n
    affinity = np.where(links, np.exp(-dist / sigma2), 0.)  # transient
    to_absorbing = np.where(adj[:, border], np.exp(-dist[:, border] / sigma2),
                            0.)  # n x |border|
    to_absorbing[border, np.arange(len(border))] = 1.
    degree = affinity.sum(1) + to_absorbing.sum(1)  # n, > 0 (border links)
    q = affinity / degree[:, None]  # Q: n x n
    return np.linalg.solve(np.eye(n) - q, np.ones(n))


def markov_saliency(img: np.ndarray,
                    n_segments: int = 200,
                    max_side: int = 256,
                    sigma2: float = 0.1) -> np.ndarray:
    """MC saliency map (see :func:`absorbed_time`).

    Returns:
        np.ndarray: ``H x W`` float32 saliency in [0, 1] at the input size.
    """
    return _superpixel_saliency(
        img, n_segments, max_side, lambda colour, pairs, border: absorbed_time(
            colour, pairs, border, sigma2))


SALIENCY_DETECTORS: Dict[str, Callable[[np.ndarray], np.ndarray]] = {
    'spectral_residual': spectral_residual_saliency,
    'fine_grained': fine_grained_saliency,
    'background_prior': background_prior_saliency,
    'geodesic': geodesic_saliency,
    'markov': markov_saliency,
}


def compute_saliency(img: np.ndarray, method: str, **kwargs) -> np.ndarray:
    """Run the detector ``method`` (a key of :data:`SALIENCY_DETECTORS`)."""
    if method not in SALIENCY_DETECTORS:
        raise KeyError(f'Unknown saliency detector {method!r}; choose one of '
                       f'{sorted(SALIENCY_DETECTORS)}')
    return SALIENCY_DETECTORS[method](img, **kwargs)
