"""The unsupervised saliency detectors on real photos and the synthetic set."""
import numpy as np
import pytest

from mmfgssl.datasets.saliency import (SALIENCY_DETECTORS, absorbed_time,
                                       background_prior_saliency,
                                       compute_saliency, geodesic_to_border,
                                       saliency_to_box, to_bgr)


def has_cv2_saliency():
    import cv2
    return hasattr(cv2, 'saliency')


def iou(a, b):
    ix = max(0., min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0., min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1])
    return inter / (area - inter)


def mean_inside_and_outside(sal, box):
    """The mean saliency inside ``box`` (x1, y1, x2, y2) and outside it."""
    x1, y1, x2, y2 = box.astype(int)
    inside = sal[y1:y2, x1:x2]
    return inside.mean(), (sal.sum() - inside.sum()) / (sal.size - inside.size)


def object_on_clutter(seed=0):
    """A red ellipse on a green-gray textured background, and its box."""
    rng = np.random.default_rng(seed)
    img = np.zeros((120, 160, 3), np.uint8)
    img[:] = (90, 120, 100)
    img = np.clip(img + rng.normal(0, 12, img.shape), 0, 255).astype(np.uint8)
    yy, xx = np.mgrid[0:120, 0:160]
    inside = ((xx - 90) / 35.)**2 + ((yy - 55) / 25.)**2 <= 1
    img[inside] = (30, 40, 220)  # BGR red
    return img, np.array([55, 30, 125, 80], np.float32)


def test_to_bgr_handles_gray_rgba_and_floats():
    gray = np.arange(12, dtype=np.uint8).reshape(3, 4)
    out = to_bgr(gray)
    assert out.shape == (3, 4, 3) and np.all(out[..., 2] == gray)
    rgba = np.zeros((3, 4, 4), np.uint8)
    rgba[..., 3] = 255
    assert to_bgr(rgba).shape == (3, 4, 3)
    assert to_bgr(gray[..., None]).shape == (3, 4, 3)
    with pytest.raises(ValueError, match='shape'):
        to_bgr(np.zeros((3, 4, 2), np.uint8))


def test_background_prior_finds_an_object_on_clutter():
    img, gt_box = object_on_clutter()
    sal = background_prior_saliency(img)
    assert sal.shape == img.shape[:2] and sal.dtype == np.float32
    assert 0 <= sal.min() and sal.max() <= 1
    inside, outside = mean_inside_and_outside(sal, gt_box)
    assert inside > 3 * outside
    box, ok = saliency_to_box(sal)
    # the box of the salient core of the ellipse (its corners are background)
    assert ok and iou(box, gt_box) > 0.5
    assert np.all(box[:2] >= gt_box[:2] - 2) and np.all(box[2:] <= gt_box[2:] +
                                                        2)


def test_background_prior_on_a_real_photo_and_gray_input():
    from skimage.data import chelsea
    img = np.ascontiguousarray(chelsea()[..., ::-1])  # 300 x 451 BGR
    sal = background_prior_saliency(img)
    assert sal.shape == (300, 451) and np.isfinite(sal).all()
    assert sal.max() == pytest.approx(1.0)
    gray = background_prior_saliency(img[..., 1])
    assert gray.shape == (300, 451)
    # a constant image has no structure: a constant (zero) map
    flat = background_prior_saliency(np.full((40, 50, 3), 128, np.uint8))
    assert flat.shape == (40, 50) and np.all(flat == flat.flat[0])


def test_background_prior_on_the_synthetic_set(tiny_synthetic_cub):
    """Boxes from the detector against the set's ground-truth boxes."""
    import mmcv

    from mmfgssl.datasets import CUBWithBoxes
    ds = CUBWithBoxes(tiny_synthetic_cub, split='train', pipeline=[])
    ious = []
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        img = mmcv.imread(info['img_path'])
        box, _ = saliency_to_box(background_prior_saliency(img))
        ious.append(iou(box, info['gt_bboxes'][0]))
    # a weak but real signal: far better than the whole image's IoU
    whole = np.mean([
        iou([0, 0, 64, 64],
            ds.get_data_info(i)['gt_bboxes'][0]) for i in range(len(ds))
    ])
    assert np.mean(ious) > whole


def test_compute_saliency_unknown_method():
    with pytest.raises(KeyError, match='Unknown saliency detector'):
        compute_saliency(np.zeros((4, 4, 3), np.uint8), 'magic')
    assert set(SALIENCY_DETECTORS) == {
        'spectral_residual', 'fine_grained', 'background_prior', 'geodesic',
        'markov'
    }


@pytest.mark.skipif(
    not has_cv2_saliency(),
    reason='cv2.saliency needs opencv-contrib-python-headless, which is not '
    'installed in this venv (opencv-python is)')
@pytest.mark.parametrize('method', ['spectral_residual', 'fine_grained'])
def test_opencv_detectors_on_a_real_photo(method):
    from skimage.data import chelsea
    img = np.ascontiguousarray(chelsea()[..., ::-1])
    sal = compute_saliency(img, method)
    assert sal.shape == (300, 451) and sal.dtype == np.float32
    assert sal.min() >= 0 and sal.max() == pytest.approx(1.0)
    if method == 'fine_grained':
        # a flat object on noise: centre-surround contrast finds it (the
        # spectral residual highlights the noise instead)
        obj, gt_box = object_on_clutter()
        box, ok = saliency_to_box(compute_saliency(obj, method))
        assert ok and iou(box, gt_box) > 0.6


@pytest.mark.skipif(has_cv2_saliency(), reason='cv2.saliency is installed')
def test_opencv_detectors_explain_what_to_install():
    with pytest.raises(ImportError, match='opencv-contrib'):
        compute_saliency(np.zeros((8, 8, 3), np.uint8), 'spectral_residual')


def random_graph(seed, n=30):
    """A connected planar-ish graph: a 5 x 6 grid of superpixels with random
    colours; the outer ring is the border."""
    rng = np.random.default_rng(seed)
    rows, cols = 5, 6
    idx = np.arange(rows * cols).reshape(rows, cols)
    pairs = np.concatenate([
        np.stack([idx[:, :-1].ravel(), idx[:, 1:].ravel()], 1),
        np.stack([idx[:-1].ravel(), idx[1:].ravel()], 1)
    ])
    border = np.unique(
        np.concatenate([idx[0], idx[-1], idx[:, 0], idx[:, -1]]))
    colour = rng.uniform(0, 100, (rows * cols, 3))
    colour[idx[2, 2]] = colour[idx[2, 3]] = (90., 90., 10.)  # an "object"
    return colour, pairs, border


def test_geodesic_to_border_against_bellman_ford():
    """GS distances by relaxing every edge until nothing changes, from the
    clipped weights written out by hand."""
    for seed in range(3):
        colour, pairs, border = random_graph(seed)
        n = len(colour)
        d = [
            float(np.sqrt(((colour[i] - colour[j])**2).sum()))
            for i, j in pairs
        ]
        nearest = []
        for v in range(n):
            around = [d[e] for e, (i, j) in enumerate(pairs) if v in (i, j)]
            nearest.append(min(around))
        t = sum(nearest) / n
        dist = [
            0. if v in set(border.tolist()) else float('inf') for v in range(n)
        ]
        changed = True
        while changed:
            changed = False
            for e, (i, j) in enumerate(pairs):
                w = max(d[e] - t, 0.)
                for a, b in ((i, j), (j, i)):
                    if dist[a] + w < dist[b] - 1e-12:
                        dist[b] = dist[a] + w
                        changed = True
        np.testing.assert_allclose(
            geodesic_to_border(colour, pairs, border), dist, atol=1e-6)


def test_absorbed_time_against_the_walk_recursion():
    """MC: y = 1 + Q y, iterated from 0 until it converges (the expected
    number of steps before absorption), with the graph written out by
    hand."""
    colour, pairs, border = random_graph(4)
    n = len(colour)
    c = (colour - colour.min(0)) / (colour.max(0) - colour.min(0))
    neigh = {v: set() for v in range(n)}
    for i, j in pairs:
        neigh[i].add(j)
        neigh[j].add(i)
    bset = set(border.tolist())
    weight = np.zeros((n, n))
    absorb = np.zeros(n)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            two = any(j in neigh[k] for k in neigh[i])
            if j in neigh[i] or two or (i in bset and j in bset):
                weight[i, j] = np.exp(-np.linalg.norm(c[i] - c[j]) / 0.1)
        for j in bset:  # links to the absorbing copies
            if j == i:
                absorb[i] += 1.
            elif j in neigh[i]:
                absorb[i] += np.exp(-np.linalg.norm(c[i] - c[j]) / 0.1)
    q = weight / (weight.sum(1) + absorb)[:, None]
    y = np.zeros(n)
    for _ in range(20000):
        new = 1 + q @ y
        if np.abs(new - y).max() < 1e-10:
            break
        y = new
    got = absorbed_time(colour, pairs, border)
    np.testing.assert_allclose(got, y, rtol=1e-6)
    assert got[2 * 6 + 2] > np.median(got)  # the object is slow to absorb


@pytest.mark.parametrize('method', ['geodesic', 'markov'])
def test_gs_and_mc_find_an_object_on_clutter(method):
    img, gt_box = object_on_clutter()
    sal = compute_saliency(img, method)
    assert sal.shape == img.shape[:2] and sal.dtype == np.float32
    assert 0 <= sal.min() and sal.max() == pytest.approx(1.0)
    inside, outside = mean_inside_and_outside(sal, gt_box)
    assert inside > 3 * outside
    box, ok = saliency_to_box(sal)
    # the box of the salient core, inside the object's box (its corners are
    # background)
    assert ok and iou(box, gt_box) > 0.4
    assert np.all(box[:2] >= gt_box[:2] - 2)
    assert np.all(box[2:] <= gt_box[2:] + 2)
    flat = compute_saliency(np.full((40, 50, 3), 128, np.uint8), method)
    assert flat.shape == (40, 50) and np.all(flat == flat.flat[0])
