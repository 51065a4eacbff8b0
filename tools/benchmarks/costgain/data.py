# Copyright (c) OpenMMLab. All rights reserved.
"""The benchmark's data: the generated sets, the DiLo masks, configs retargeted
to them."""
import os.path as osp
import re
import shutil
import subprocess
import sys

from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.registry import DATASETS

from .tables import REPO_ROOT

MASK_DIR = 'saliency_masks_rbd'


def precompute_masks(images, out):
    """DiLo's detector masks of every image under ``images``, written under
    ``out`` (``tools/dataset_converters/compute_saliency_masks.py``, the
    RBD-style detector of the DiLo configs, Otsu's rule)."""
    subprocess.run([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'dataset_converters',
                 'compute_saliency_masks.py'), images, out, '--method',
        'background_prior'
    ],
                   check=True,
                   stdout=subprocess.DEVNULL)


def ensure_masks(images, masks):
    """:func:`precompute_masks` once per folder (a ``.done`` stamp in it)."""
    stamp = osp.join(masks, '.done')
    if not osp.exists(stamp):
        precompute_masks(images, masks)
        open(stamp, 'w').close()
    return masks


def uses_detector_masks(obj):
    """Whether a config fragment has DiLo's ``LoadSaliencyMask`` (the
    transform that reads the precomputed masks)."""
    if isinstance(obj, dict):
        return obj.get('type') == 'LoadSaliencyMask' or any(
            uses_detector_masks(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(uses_detector_masks(v) for v in obj)
    return False


def make_sets(work_dir, settings, sections, data_root=None):
    """The data of the run: a synthetic CUB-format set of 224 px images for
    the pipelines, and the quality set (``data_root``, or the generated
    background-shortcut set), each generated once per settings. DiLo's
    detector masks are precomputed once for the 224 px set; those of the
    quality set only when a quality run needs them (:func:`bench_quality`),
    under ``work_dir`` for a ``data_root`` (never written into it).

    Returns:
        dict: ``synth224``, ``quality`` and ``quality_masks`` folders (the
        ones the sections need).
    """
    from mmfgssl.datasets.synthetic_cub import make_synthetic_cub
    roots, todo = {}, []
    if {'pipelines', 'steps'} & set(sections):
        todo.append(('synth224', dict(settings['pipeline_set'], img_size=224)))
    if {'quality', 'steps', 'ablations'} & set(sections) and not data_root:
        todo.append(('quality', settings['quality_set']))
    for name, spec in todo:
        root = osp.join(work_dir, 'data', name)
        stamp = osp.join(root, '.settings')
        want = repr(sorted(spec.items()))
        done = False
        if osp.exists(stamp):
            with open(stamp) as f:
                done = f.read() == want
        if not done:
            shutil.rmtree(root, ignore_errors=True)
            make_synthetic_cub(root, seed=0, **spec)
            with open(stamp, 'w') as f:
                f.write(want)
        roots[name] = root
    if 'synth224' in roots:
        roots['synth224_masks'] = ensure_masks(
            osp.join(roots['synth224'], 'images'),
            osp.join(roots['synth224'], MASK_DIR))
    if {'quality', 'steps', 'ablations'} & set(sections):
        if data_root:
            root = osp.abspath(data_root)
            for name in ('images.txt', 'image_class_labels.txt',
                         'train_test_split.txt', 'bounding_boxes.txt'):
                if not osp.isfile(osp.join(root, name)):
                    raise SystemExit(
                        f'--data-root {root}: no {name}; the quality '
                        'section needs a set in CUB-200-2011\'s layout')
            masks = osp.join(work_dir, 'data',
                             'masks_' + re.sub(r'[^\w]+', '_', root)[-60:])
            roots['quality'], roots['quality_masks'] = root, masks
        else:
            roots['quality_masks'] = osp.join(roots['quality'], MASK_DIR)
    return roots


def retarget(obj, root, mask_root=None):
    """Point every dataset of a config fragment at the CUB-format set
    ``root`` (COCO-style backgrounds: its images folder) and, with
    ``mask_root``, have DiLo's ``LoadSaliencyMask`` read the masks
    precomputed under ``mask_root`` instead of running its detector (an
    optional speed-up of the benchmark). File sources whose folders follow
    the training set (``'{data_root}/...'``) move with it: the training
    set binds them when it is built."""
    if isinstance(obj, list):
        return [retarget(o, root, mask_root) for o in obj]
    if not isinstance(obj, dict):
        return obj
    out = {k: retarget(v, root, mask_root) for k, v in obj.items()}
    kind = out.get('type')
    if 'data_root' in out:
        out['data_root'] = root
        if kind == 'COCOImages':
            out.update(data_prefix='images', ann_file='')
    if kind == 'LoadSaliencyMask' and mask_root:
        if out['source'] != dict(kind='detector', method='background_prior'):
            raise ValueError(
                'cost_and_gain: the precomputed masks are those of '
                "dict(kind='detector', method='background_prior'), not of "
                f"{out['source']}")
        out['source'] = dict(
            kind='mask_file',
            root=mask_root,
            img_root=osp.join(root, 'images'))
    return out


def load_config(path):
    cfg = Config.fromfile(osp.join(REPO_ROOT, path))
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    return cfg


def build_train_dataset(cfg, root, mask_root=None):
    ds_cfg = retarget(cfg.train_dataloader.dataset.to_dict(), root, mask_root)
    ds_cfg.pop('_scope_', None)
    return DATASETS.build(ds_cfg)
