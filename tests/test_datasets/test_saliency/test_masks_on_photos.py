"""The detectors' binarised masks on three real photos of scikit-image
overlap the main subject, against boxes drawn by hand (by looking at the
photos on a 50 px grid)."""
import numpy as np
import pytest

from mmfgssl.datasets.saliency import SaliencyMaskSource

# x1, y1, x2, y2 in pixels (exclusive right / bottom)
SUBJECT_BOXES = {
    # the cup, its saucer and the spoon (400 x 600)
    'coffee': (75, 15, 485, 390),
    # the cameraman and his camera, without the tripod legs (512 x 512)
    'camera': (0, 60, 340, 512),
    # the astronaut with the helmet she holds, without the flag and the
    # shuttle model (512 x 512)
    'astronaut': (55, 10, 512, 512),
}
DETECTORS = ('background_prior', 'spectral_residual', 'fine_grained')


def photo(name):
    from skimage import data
    img = getattr(data, name)()
    return np.ascontiguousarray(img[..., ::-1]) if img.ndim == 3 else img


@pytest.mark.parametrize('method', DETECTORS)
@pytest.mark.parametrize('name', sorted(SUBJECT_BOXES))
def test_masks_overlap_the_subject(name, method):
    img = photo(name)
    h, w = img.shape[:2]
    mask = SaliencyMaskSource(method=method)(dict(img=img)).astype(bool)
    assert mask.shape == (h, w) and mask.any()
    x1, y1, x2, y2 = SUBJECT_BOXES[name]
    box = np.zeros((h, w), bool)
    box[y1:y2, x1:x2] = True
    iou = (mask & box).sum() / (mask | box).sum()
    precision = (mask & box).sum() / mask.sum()
    # the RBD-style detector gives region masks (IoU 0.39-0.74 here); the
    # OpenCV ones mark edges and texture inside the subject (IoU 0.14-0.27)
    assert iou > (0.3 if method == 'background_prior' else 0.1)
    # most of the mask lies on the subject ...
    assert precision > 0.8
    # ... far more than a mask spread uniformly over the image would, where
    # the box leaves room for that comparison
    if box.mean() < 0.7:
        assert precision > box.mean() + 0.15
