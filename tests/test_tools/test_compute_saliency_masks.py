"""tools/dataset_converters/compute_saliency_masks.py on the tiny synthetic
set: the files it writes are what LoadSaliencyMask reads."""
import glob
import os.path as osp
import sys

import mmcv
import numpy as np
from tool_runs import run

from mmfgssl.datasets.saliency import (SaliencyMaskSource,
                                       background_prior_saliency,
                                       saliency_to_mask)

TOOL = 'tools/dataset_converters/compute_saliency_masks.py'


def test_masks_and_maps_on_disk_match_the_detector(tiny_synthetic_cub,
                                                   tmp_path):
    img_root = osp.join(tiny_synthetic_cub, 'images')
    masks, maps = str(tmp_path / 'masks'), str(tmp_path / 'maps')
    log = run([sys.executable, TOOL, img_root, masks, '--nproc', '2'])
    assert '24 images: 24 masks written' in log
    run([sys.executable, TOOL, img_root, maps, '--save-map'])
    # a second run skips what exists
    assert '24 existing skipped' in run(
        [sys.executable, TOOL, img_root, masks])

    img_path = sorted(glob.glob(osp.join(img_root, '*', '*.jpg')))[0]
    rel, name = osp.split(osp.relpath(img_path, img_root))
    img = mmcv.imread(img_path)
    expected = saliency_to_mask(background_prior_saliency(img), 'otsu')
    stem = osp.splitext(name)[0] + '.png'
    written = mmcv.imread(osp.join(masks, rel, stem), flag='grayscale')
    assert np.array_equal(written, expected * 255)
    # LoadSaliencyMask's sources read both back
    results = dict(img=img, img_path=img_path)
    from_masks = SaliencyMaskSource(
        kind='mask_file', root=masks, img_root=img_root)(
            results)
    assert np.array_equal(from_masks, expected)
    from_maps = SaliencyMaskSource(
        kind='saliency_map', root=maps, img_root=img_root)(
            results)
    # the 8-bit map binarises as the float map, up to quantisation
    assert np.mean(from_maps == expected) > 0.98
