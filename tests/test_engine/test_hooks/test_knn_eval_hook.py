"""KNNEvalHook logs knn_top1 during pre-training, and the number equals a
slow, independent kNN of the checkpoint saved at the same epoch."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import default_collate
from mmpretrain.registry import DATASETS, MODELS
from tool_runs import completed

import mmfgssl  # noqa: F401  (registers; allow-lists checkpoint globals)

REPO_ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
CONFIG = ('configs/benchmarks/knn/'
          'byol_resnet18_1xb32-coslr-100e-knn_synthcub.py')


def slow_knn_top1(train_x, train_y, test_x, test_y, num_classes, k, t):
    """Weighted kNN (Wu et al. 2018, Eq. 8) with explicit python loops."""
    correct = 0
    for q, y in zip(test_x, test_y):
        sims = []
        for g, gy in zip(train_x, train_y):
            cos = float(np.dot(q, g) / np.linalg.norm(q) / np.linalg.norm(g))
            sims.append((cos, int(gy)))
        sims.sort(key=lambda s: -s[0])
        votes = [0.0] * num_classes
        for cos, gy in sims[:k]:
            votes[gy] += float(np.exp(cos / t))
        correct += int(int(np.argmax(votes)) == int(y))
    return 100.0 * correct / len(test_y)


def features(backbone, cfg, split, data_root):
    loader = cfg.custom_hooks[0]['train_dataloader']
    dataset = DATASETS.build(
        dict(loader['dataset'], data_root=data_root, split=split))
    pre_cfg = cfg.model.get('data_preprocessor') or cfg.data_preprocessor
    pre = MODELS.build(
        dict(
            type='ClsDataPreprocessor',
            mean=pre_cfg.mean,
            std=pre_cfg.std,
            to_rgb=pre_cfg.get('to_rgb', True)))
    feats, labels = [], []
    with torch.no_grad():
        for i in range(len(dataset)):  # one image at a time
            data = pre(default_collate([dataset[i]]), False)
            fmap = backbone(data['inputs'])[-1][0]  # C x H x W
            feats.append(fmap.mean(dim=(1, 2)).numpy())
            labels.append(int(data['data_samples'][0].gt_label))
    return np.stack(feats), np.array(labels)


def test_knn_hook_logs_the_right_number(tiny_synthetic_cub, tmp_path):
    # only the training set's data_root is overridden: the hook's loaders,
    # which name no data_root, follow it
    work_dir = str(tmp_path / 'work')
    root = tiny_synthetic_cub
    proc = completed([
        sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir,
        '--cfg-options', f'train_dataloader.dataset.data_root={root}',
        'train_dataloader.batch_size=4', 'train_dataloader.num_workers=0',
        'train_cfg.max_epochs=2', 'default_hooks.checkpoint.interval=1',
        'default_hooks.checkpoint.max_keep_ckpts=-1',
        'custom_hooks.0.interval=1', 'custom_hooks.0.k=5'
    ])
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert 'KNNEvalHook: knn_top1' in proc.stdout + proc.stderr
    rows = []
    for path in glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')):
        with open(path) as f:
            rows += [json.loads(line) for line in f]
    knn = [r for r in rows if 'knn_top1' in r]
    assert [r['step'] for r in knn] == [4, 8]  # after epochs 1 and 2

    cfg = Config.fromfile(osp.join(REPO_ROOT, CONFIG))
    backbone = MODELS.build(cfg.model.backbone)
    state = torch.load(osp.join(work_dir, 'epoch_2.pth'))['state_dict']
    backbone.load_state_dict({
        k[len('backbone.'):]: v
        for k, v in state.items() if k.startswith('backbone.')
    })
    backbone.eval()
    train_x, train_y = features(backbone, cfg, 'train', root)
    test_x, test_y = features(backbone, cfg, 'test', root)
    assert len(train_y) == 16 and len(test_y) == 8
    expected = slow_knn_top1(train_x, train_y, test_x, test_y, 200, 5, 0.07)
    assert abs(knn[-1]['knn_top1'] - expected) < 1e-6


def test_knn_hook_under_two_cpu_processes(tiny_synthetic_cub, tmp_path):
    """Each process extracts its shard; rank 0 sees all 8 queries and 16
    gallery images once (the sampler's padding dropped)."""
    import re
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    root = tiny_synthetic_cub
    env = dict(
        os.environ,
        OMP_NUM_THREADS='1',
        PORT=str(port),
        PATH=osp.dirname(sys.executable) + os.pathsep + os.environ['PATH'])
    proc = subprocess.run([
        'bash', 'tools/dist_train.sh', CONFIG, '2', '--work-dir',
        str(tmp_path / 'work'), '--cfg-options',
        f'train_dataloader.dataset.data_root={root}',
        'train_dataloader.batch_size=4', 'train_dataloader.num_workers=0',
        'train_cfg.max_epochs=1', 'custom_hooks.0.interval=1',
        'custom_hooks.0.train_dataloader.batch_size=3',
        'custom_hooks.0.val_dataloader.batch_size=3', 'custom_hooks.0.k=5'
    ],
                          cwd=REPO_ROOT,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-5000:]
    assert 'world size 2' in log
    found = re.findall(
        r'KNNEvalHook: knn_top1 ([\d.]+) \(k=5, (\d+) queries, '
        r'(\d+) gallery images\)', log)
    assert len(found) == 1  # logged once, by rank 0
    top1, queries, gallery = found[0]
    assert (int(queries), int(gallery)) == (8, 16)
    assert 0 <= float(top1) <= 100
