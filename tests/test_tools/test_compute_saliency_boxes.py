"""tools/dataset_converters/compute_saliency_boxes.py on real files: maps,
boxes, fallbacks, resuming, and the maps read back by SaliencyBoxSource."""
import json
import os.path as osp

import mmcv
import numpy as np
from tool_runs import run_python

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO_ROOT, 'tools', 'dataset_converters',
                'compute_saliency_boxes.py')


def run_tool(*args):
    return run_python(TOOL, *args, PYTHONPATH=REPO_ROOT)


def test_maps_boxes_fallbacks_and_resume(tmp_path):
    from mmfgssl.datasets import SaliencyBoxSource
    images = tmp_path / 'images'
    (images / 'sub').mkdir(parents=True)
    img = np.full((40, 60, 3), 120, np.uint8)
    img[10:30, 30:55] = (20, 30, 230)
    mmcv.imwrite(img, str(images / 'sub' / 'object.jpg'))
    mmcv.imwrite(np.full((30, 30), 77, np.uint8), str(images / 'flat.png'))
    out = tmp_path / 'maps'
    args = [
        str(out), '--dataset', 'UnlabeledImageFolder', '--data-root',
        str(images), '--method', 'background_prior'
    ]
    log = run_tool(*args)
    assert '2 maps computed' in log and '1 empty or constant' in log
    assert (out / 'sub' / 'object.png').is_file()
    assert (out / 'flat.png').is_file()
    assert (out / 'fallbacks.txt').read_text() == 'flat.png\n'
    result = json.loads((out / 'boxes.json').read_text())
    assert result['img_root'] == str(images)
    assert result['boxes']['flat.png'] == [0, 0, 30, 30]
    x1, y1, x2, y2 = result['boxes'][osp.join('sub', 'object.jpg')]
    assert 25 <= x1 <= 35 and 5 <= y1 <= 15 and 50 <= x2 <= 60 and \
        25 <= y2 <= 35

    # resume: the existing maps are kept, a missing one is recomputed
    mtime = (out / 'sub' / 'object.png').stat().st_mtime_ns
    (out / 'flat.png').unlink()
    log = run_tool(*args)
    assert '1 maps computed, 1 already on disk' in log
    assert (out / 'sub' / 'object.png').stat().st_mtime_ns == mtime
    assert json.loads((out / 'boxes.json').read_text()) == result

    # the maps are what SaliencyBoxSource reads
    source = SaliencyBoxSource(
        kind='saliency_map', root=str(out), img_root=str(images))
    box, ok = source(
        dict(img=img, img_path=str(images / 'sub' / 'object.jpg')))
    assert ok
    np.testing.assert_allclose(box, [x1, y1, x2, y2], atol=0.01)


def test_iou_report_on_the_synthetic_set(tiny_synthetic_cub, tmp_path, capsys):
    import importlib.util
    spec = importlib.util.spec_from_file_location('compute_saliency_boxes',
                                                  TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    result = tool.main([
        str(tmp_path / 'maps'), '--dataset', 'CUBWithBoxes', '--data-root',
        tiny_synthetic_cub, '--split', 'train', '--method', 'background_prior'
    ])
    assert result['num_images'] == result['computed'] == 16
    assert len(result['ious']) == 16
    # a real localisation signal on the synthetic birds
    assert 0.3 < np.mean(result['ious']) <= 1.0
    assert 'IoU with the ground-truth boxes' in capsys.readouterr().out
