"""The picture tools run on the synthetic set and write PNGs that decode."""
import os
import os.path as osp
import subprocess
import sys

import numpy as np
from PIL import Image

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'
GFB = 'configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py'


def run(*cmd):
    env = dict(os.environ, OMP_NUM_THREADS='1')
    proc = subprocess.run([sys.executable, *cmd],
                          cwd=REPO_ROOT,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc.stdout


def check_png(path, min_size):
    assert osp.getsize(path) > 0
    with Image.open(path) as img:
        assert img.format == 'PNG'
        pixels = np.asarray(img.convert('RGB'))
    assert pixels.shape[0] >= min_size[0] and pixels.shape[1] >= min_size[1]
    assert pixels.std() > 10  # a picture, not a blank canvas


def test_browse_views(tiny_synthetic_cub, tmp_path):
    out = str(tmp_path / 'views.png')
    log = run('tools/visualization/browse_views.py', BYOL, '--data-root',
              tiny_synthetic_cub, '--num-images', '3', '--out', out)
    assert '3 images x 2 views' in log
    check_png(out, (300, 300))


def test_attention_side_by_side(byol_synthcub_checkpoint, tiny_synthetic_cub,
                                tmp_path):
    out = str(tmp_path / 'attention.png')
    log = run('tools/visualization/vis_attention.py', BYOL,
              byol_synthcub_checkpoint, '--compare', GFB, 'none',
              '--data-root', tiny_synthetic_cub, '--num-images', '2', '--out',
              out)
    # BYOL: activation + SSL GradCAM; MoCoGFB: the same + GFB attention
    assert '2 images, 5 maps' in log
    check_png(out, (200, 600))
