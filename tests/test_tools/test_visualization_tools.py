"""The picture tools run on the synthetic set and write PNGs that decode."""
import os
import os.path as osp
import sys

import numpy as np
from PIL import Image
from tool_runs import REPO_ROOT, completed, run_python

BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'
GFB = 'configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py'


def check_png(path, min_size):
    assert osp.getsize(path) > 0
    with Image.open(path) as img:
        assert img.format == 'PNG'
        pixels = np.asarray(img.convert('RGB'))
    assert pixels.shape[0] >= min_size[0] and pixels.shape[1] >= min_size[1]
    assert pixels.std() > 10  # a picture, not a blank canvas


def test_browse_views(tiny_synthetic_cub, tmp_path):
    out = str(tmp_path / 'views.png')
    log = run_python('tools/visualization/browse_views.py', BYOL,
                     '--data-root', tiny_synthetic_cub, '--num-images', '3',
                     '--out', out)
    assert '3 images x 2 views' in log
    check_png(out, (300, 300))


def test_browse_saliency_swap_views_of_a_moved_set(tiny_synthetic_cub,
                                                   tmp_path):
    """CVSA's views draw their 'train_set' backgrounds from the set given by
    --data-root alone."""
    out = str(tmp_path / 'cvsa_views.png')
    log = run_python(
        'tools/visualization/browse_views.py',
        'configs/cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py',
        '--data-root', tiny_synthetic_cub, '--num-images', '2', '--out', out)
    assert '2 images x 2 views' in log
    check_png(out, (200, 300))


def test_attention_side_by_side(byol_synthcub_checkpoint, tiny_synthetic_cub,
                                tmp_path):
    out = str(tmp_path / 'attention.png')
    log = run_python('tools/visualization/vis_attention.py', BYOL,
                     byol_synthcub_checkpoint, '--compare', GFB, 'none',
                     '--data-root', tiny_synthetic_cub, '--num-images', '2',
                     '--out', out)
    # BYOL: activation + SSL GradCAM; MoCoGFB: the same + GFB attention
    assert '2 images, 5 maps' in log
    check_png(out, (200, 600))


CVSA = 'configs/cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py'


def test_cvsa_correspondence_map(tiny_synthetic_cub, tmp_path):
    import torch
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    import mmfgssl  # noqa: F401
    from mmfgssl.visualization import (cvsa_correspondence, load_ssl_model,
                                       preprocess_image)
    cfg = Config.fromfile(osp.join(REPO_ROOT, CVSA))
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = load_ssl_model(cfg, None)
    # a checkpoint of its own whose target net differs from the online one
    with torch.no_grad():
        for p in model.target_net.module.parameters():
            p.mul_(0.9)
    ckpt = str(tmp_path / 'cvsa.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)

    crops = [
        np.random.RandomState(s).randint(0, 256, (64, 64, 3), np.uint8)
        for s in range(2)
    ]
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = load_ssl_model(cfg, ckpt)
        q = torch.cat([preprocess_image(model, c) for c in crops])
        k = torch.cat([preprocess_image(model, c[:, ::-1]) for c in crops])
        corr = cvsa_correspondence(model, q, k)
        small = cvsa_correspondence(model, q, k, upsample=False)
        # an independent re-computation with explicit loops
        with torch.no_grad():
            online = model.align_head.predictor(
                model.dense_neck((model.backbone(q)[0], )))[0]  # B x d x h x w
            target_net = model.target_net.module
            target = target_net[2]((target_net[0](k)[0], ))[0]  # B x d x h x w
    assert corr.shape == (2, 64, 64)
    assert np.all(corr > 0) and np.all(corr < 1)
    b, d, h, w = online.shape
    # the config's attention: the dot product over sqrt(d) (the default)
    assert model.align_head.attention == 'scaled'
    for n in range(b):
        for i in range(h * w):
            best = max(
                float((online[n, :, i // w, i % w] *
                       target[n, :, j // w, j % w]).sum()) / np.sqrt(d)
                for j in range(h * w))
            expected = 1 / (1 + np.exp(-best))
            assert abs(small[n, i // w, i % w] - expected) < 1e-4

    out = str(tmp_path / 'cvsa.png')
    log = run_python('tools/visualization/vis_attention.py', CVSA, ckpt,
                     '--data-root', tiny_synthetic_cub, '--num-images', '2',
                     '--out', out)
    # activation + CVSA correspondence (no GradCAM: CVSA's views need masks)
    assert '2 images, 2 maps' in log
    check_png(out, (200, 300))


def test_ccrop_box_evolution(tiny_synthetic_cub, tmp_path):
    import torch
    from tool_runs import (BYOL_CCROP, tiny_options, train,
                           write_box_dump_config)

    import mmfgssl  # noqa: F401  (allow-lists mmengine checkpoint globals)
    config = write_box_dump_config(tmp_path,
                                   BYOL_CCROP)  # updates after epoch 1
    work_dir = str(tmp_path / 'work')
    train(
        config,
        work_dir,
        tiny_options(tiny_synthetic_cub, 2),
        PYTHONPATH=f'{tmp_path}{os.pathsep}{REPO_ROOT}')
    boxes = torch.load(osp.join(work_dir,
                                'epoch_1.pth'))['contrastive_crop']['boxes']
    assert not torch.equal(boxes, torch.tensor([[0., 0., 1., 1.]] * 16))

    out = str(tmp_path / 'boxes.png')
    # the config dumped into the work dir finds the images
    log = run_python('tools/visualization/vis_ccrop_boxes.py', work_dir,
                     '--indices', '0', '7', '--cell-size', '128', '--out', out)
    # no update after the last epoch: only epoch 1 changed the table
    assert '2 images x 1 epochs: 1' in log
    check_png(out, (2 * 128, 128))
    log = run_python('tools/visualization/vis_ccrop_boxes.py', work_dir,
                     '--indices', '0', '7', '--all-epochs', '--out',
                     str(tmp_path / 'all.png'))
    assert '2 images x 2 epochs: 1, 2' in log

    # the epoch-1 box (yellow) where the documented layout puts it: cells
    # 4 px apart under a 14 px title, the 64 px images scaled to 128 px
    with Image.open(out) as img:
        pixels = np.asarray(img.convert('RGB')).astype(int)
    yellow = (255, 255, 0)
    for row, idx in enumerate((0, 7)):
        x0, y0, x1, y1 = (boxes[idx] * 128).round().int().tolist()
        left, top = 4, 4 + row * (14 + 128 + 4) + 14
        mid_x, mid_y = left + (x0 + x1) // 2, top + (y0 + y1) // 2
        for y, x in ((top + y0, mid_x), (top + y1, mid_x), (mid_y, left + x0),
                     (mid_y, left + x1)):
            assert tuple(pixels[y, x]) == yellow, (idx, y, x, pixels[y, x])
        if min(x1 - x0, y1 - y0) > 8:  # inside: the image, not the edge
            assert tuple(pixels[mid_y, mid_x]) != yellow

    # the views of the same run cropped in the epoch-1 boxes: the box and
    # each view's crop drawn (cyan) on the original; none without the boxes
    config = ('configs/contrastive_crop/'
              'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py')

    def cyan_pixels(path):
        with Image.open(path) as img:
            px = np.asarray(img.convert('RGB')).astype(int)
        return int((px == (0, 255, 255)).all(-1).sum())  # the line colour

    views = str(tmp_path / 'ccrop_views.png')
    log = run_python('tools/visualization/browse_views.py', config,
                     '--data-root', tiny_synthetic_cub, '--indices',
                     '0', '7', '--ccrop-boxes',
                     osp.join(work_dir, 'epoch_1.pth'), '--out', views)
    assert '2 images x 2 views' in log
    check_png(views, (200, 300))
    plain = str(tmp_path / 'rrc_views.png')
    run_python('tools/visualization/browse_views.py', config, '--data-root',
               tiny_synthetic_cub, '--indices', '0', '7', '--out', plain)
    assert cyan_pixels(views) > 100 and cyan_pixels(plain) == 0

    bare = str(tmp_path / 'bare.pth')
    torch.save(dict(state_dict={}), bare)
    proc = completed([
        sys.executable, 'tools/visualization/browse_views.py', config,
        '--data-root', tiny_synthetic_cub, '--ccrop-boxes', bare, '--out',
        str(tmp_path / 'x.png')
    ])
    assert proc.returncode != 0
    assert f'--ccrop-boxes {bare}: no "contrastive_crop"' in proc.stderr
