"""tools/analysis_tools/ccrop_box_iou.py and ccrop_update_cost.py."""
import os.path as osp
import subprocess
import sys
from datetime import datetime, timedelta

import torch
from mmengine.registry import DefaultScope
from PIL import Image

from mmfgssl.datasets import CUBWithBoxes

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO_ROOT, 'configs', 'contrastive_crop',
                  'mocov2-ccrop_resnet18_1xb32-coslr-100e_synthcub.py')


def tool(name, *args):
    proc = subprocess.run(
        [sys.executable, f'tools/analysis_tools/{name}.py', *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(PYTHONPATH=REPO_ROOT, PATH='/usr/bin:/bin'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_box_iou_tool_on_a_checkpoint(tiny_synthetic_cub, tmp_path):
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        ds = CUBWithBoxes(data_root=tiny_synthetic_cub, split='train')
    gts = []
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        w, h = Image.open(info['img_path']).size
        gts.append(
            torch.tensor(info['gt_bboxes'][0]) / torch.tensor([w, h, w, h]))
    ckpt = str(tmp_path / 'ckpt.pth')
    torch.save(dict(contrastive_crop=dict(boxes=torch.stack(gts))), ckpt)
    out = tool('ccrop_box_iou', CONFIG, ckpt, '--data-root',
               tiny_synthetic_cub)
    assert 'mean IoU with the ground truth 1.000' in out
    torch.save(
        dict(
            contrastive_crop=dict(
                boxes=torch.tensor([[0., 0., 1., 1.]] * len(ds)))), ckpt)
    out = tool('ccrop_box_iou', CONFIG, ckpt, '--data-root',
               tiny_synthetic_cub)
    assert 'whole-image 100.0%' in out
    whole = out.split('(whole image: ')[1][:5]
    assert f'ground truth {whole}' in out


def test_update_cost_tool(tmp_path):
    start = datetime(2026, 11, 25, 8, 0, 0)
    lines = []
    for epoch in range(1, 7):  # epochs of 10 s, 30 s with the update
        t = start + timedelta(seconds=10 * epoch + (20 if epoch > 3 else 0))
        lines.append(f'{t:%Y/%m/%d %H:%M:%S} - mmengine - INFO - '
                     f'Epoch(train)  [{epoch}][5/6]  lr: 1e-3  loss: 1.0')
        if epoch == 3:
            lines.append(f'{t:%Y/%m/%d %H:%M:%S} - mmengine - INFO - '
                         'ContrastiveCrop: boxes updated after epoch 3 in '
                         '5.00 s (200 samples, world size 1)')
    log = tmp_path / 'run.log'
    log.write_text('\n'.join(lines) + '\n')
    out = tool('ccrop_update_cost', str(log))
    assert '1 updates: [5.0] s' in out
    assert 'median 10.0 s over 4 epochs' in out
    assert 'update / epoch = 0.50' in out
