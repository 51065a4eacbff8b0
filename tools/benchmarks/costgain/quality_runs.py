# Copyright (c) OpenMMLab. All rights reserved.
"""One quality run of section 4: a scaled schedule, training, evaluation,
diagnostics."""
import os.path as osp
import re
import statistics
import time

import numpy as np
import torch
from mmengine.config import ConfigDict
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from .data import build_train_dataset, load_config, retarget


class EpochTimer(Hook):
    """Seconds of every training epoch (``before_train_epoch`` to its
    ``after_train_epoch``, which at ``VERY_LOW`` priority comes after the
    other hooks'), with the ContrastiveCrop updates that ran inside it."""

    priority = 'VERY_LOW'

    def __init__(self):
        self.epochs, self._start, self._updates = [], None, 0

    def before_train_epoch(self, runner):
        self._start = time.perf_counter()

    def after_train_epoch(self, runner):
        # VERY_LOW: after ContrastiveCropHook's update of this epoch
        hub = runner.message_hub
        updates = (
            hub.get_scalar('train/ccrop_update_time').data[0].tolist()
            if 'train/ccrop_update_time' in hub.log_scalars else [])
        new = updates[self._updates:]
        self._updates = len(updates)
        self.epochs.append(
            dict(seconds=time.perf_counter() - self._start, updates=new))


def scale_schedule(cfg, epochs):
    """The synthetic configs' 100-epoch schedule shrunk to ``epochs``:
    linear warm-up over a tenth, cosine after; ContrastiveCrop updates
    every fifth (warm-up 20 and interval 20 of 100 in the config)."""
    warm = max(1, epochs // 10) if epochs > 1 else 0
    schedulers = []
    if warm:
        schedulers.append(
            dict(
                type='LinearLR',
                start_factor=1e-4,
                by_epoch=True,
                begin=0,
                end=warm,
                convert_to_iter_based=True))
    schedulers.append(
        dict(
            type='CosineAnnealingLR',
            T_max=epochs - warm,
            by_epoch=True,
            begin=warm,
            end=epochs,
            convert_to_iter_based=True))
    cfg.param_scheduler = schedulers
    cfg.train_cfg.max_epochs = epochs
    every = max(1, round(epochs / 5))
    for hook in cfg.get('custom_hooks', []):
        if hook['type'] == 'ContrastiveCropHook':
            hook.update(warmup_epochs=every, interval=every)


def quality_run(path,
                root,
                epochs,
                seed,
                work_dir,
                batch_size=None,
                mask_root=None):
    cfg = load_config(path)
    # DiLo reads the masks its detector gives, precomputed once
    cfg.train_dataloader.dataset = ConfigDict(
        retarget(cfg.train_dataloader.dataset.to_dict(), root, mask_root))
    cfg.train_dataloader.update(num_workers=0, persistent_workers=False)
    if batch_size:
        cfg.train_dataloader.batch_size = batch_size
    for split in ('val', 'test'):  # evaluation is ours, after training
        for key in (f'{split}_dataloader', f'{split}_evaluator',
                    f'{split}_cfg'):
            cfg.pop(key, None)
    scale_schedule(cfg, epochs)
    cfg.randomness = dict(seed=seed)
    cfg.work_dir = work_dir
    cfg.experiment_name = osp.basename(work_dir)
    cfg.default_hooks.checkpoint = None
    cfg.log_level = 'ERROR'
    cfg.launcher = 'none'
    from mmfgssl.utils import replace_sync_bn
    replace_sync_bn(cfg.model)
    runner = Runner.from_cfg(cfg)
    timer = EpochTimer()
    runner.register_hook(timer)
    start = time.perf_counter()
    runner.train()
    seconds = time.perf_counter() - start
    model = runner.model
    if is_model_wrapper(model):
        model = model.module
    return model, seconds, timer.epochs, run_diagnostics(runner.message_hub)


def run_diagnostics(hub):
    """The loss terms at the start and the end of a run (means of its first
    and last tenth of iterations, at least one) and ContrastiveCrop's box
    statistics after its last update, from the message hub."""
    diagnostics = {}
    for key, buffer in hub.log_scalars.items():
        name = key[len('train/'):]
        if name.startswith('loss'):
            values = [float(v) for v in buffer.data[0]]
            tenth = max(1, len(values) // 10)
            first = statistics.fmean(values[:tenth])
            last = statistics.fmean(values[-tenth:])
            diagnostics[f'{name}, first tenth'] = first
            diagnostics[f'{name}, last tenth'] = last
            if first > 0 and last >= 0:  # a fall means something
                diagnostics[f'{name}, fall (%)'] = 100 * (1 - last / first)
        elif name.startswith('ccrop_') and name != 'ccrop_update_time':
            diagnostics[f'{name}, last update'] = buffer.current()
    return diagnostics


def evaluate_quality(model,
                     loaders,
                     preprocessor,
                     num_classes,
                     loc_loader=None):
    """kNN top-1 / rank-1 of the pooled backbone (and of LCR's Eq. 8
    pooling for GFB models) and, with ``loc_loader``, the localisation of
    the last-stage activation map (and of the GFB attention)."""
    from mmfgssl.evaluation import (evaluate_localization, extract_features,
                                    gfb_attention_fn, knn_and_retrieval)
    model.eval()
    out = {}
    feature_fns = {'avg': lambda x: model.backbone(x)[-1].mean(dim=(2, 3))}
    if hasattr(model, 'gfb_pool'):  # LCR Eq. 8
        feature_fns['gfb'] = lambda x: model.gfb_pool(model.backbone(x)[-1])
    for pooling, fn in feature_fns.items():
        feats = [
            extract_features(fn, preprocessor, loader) for loader in loaders
        ]
        out[pooling] = knn_and_retrieval(*feats, num_classes)
    if loc_loader is not None:
        attention_fn = None
        if hasattr(model, 'gfb_head'):
            attention_fn = gfb_attention_fn(model)
        out['avg'].update(
            evaluate_localization(
                model.backbone,
                loc_loader,
                preprocessor,
                attention_fn=attention_fn))
    model.train()
    return out


@torch.no_grad()
def cvsa_agreement(model, cfg, root, num=64):
    """How CVSA's correspondence map ``C`` of a view (Eq. 4) agrees with the
    view's saliency mask (downsampled as in Eq. 5): mean absolute error and
    Pearson correlation, on the first ``num`` training samples of the
    config's own pipeline (two SaliencySwap views with masks, seed 0)."""
    from mmengine.dataset import default_collate

    from mmfgssl.evaluation import correspondence_mask_agreement
    from mmfgssl.models.utils import downsample_mask
    from mmfgssl.visualization import cvsa_correspondence
    dataset = build_train_dataset(cfg, root)
    np.random.seed(0)
    samples = [dataset[i] for i in range(min(num, len(dataset)))]
    model.eval()
    data = model.data_preprocessor(default_collate(samples), False)
    view_q, view_k = data['inputs']  # view_*: B x 3 x H x W
    corr = torch.from_numpy(
        cvsa_correspondence(model, view_q, view_k,
                            upsample=False))  # corr: B x h x w
    mask = model._masks(data['data_samples'], view_q.device)[0]  # B x H x W
    mask = downsample_mask(mask, corr.shape[-2:],
                           model.align_head.mask_antialias)  # B x h x w
    mae, pearson = correspondence_mask_agreement(corr, mask)  # B, B
    model.train()
    return dict(
        cvsa_corr_mask_mae=float(mae.mean()),
        cvsa_corr_mask_pearson=float(pearson.mean()))


def run_tag(name, seed):
    return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-') + f'_seed{seed}'
