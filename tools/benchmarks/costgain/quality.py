# Copyright (c) OpenMMLab. All rights reserved.
"""Sections 4 and 6: quality (and ablations) under an equal budget."""
import os.path as osp
import statistics

import torch

from .data import ensure_masks, load_config, uses_detector_masks
from .quality_runs import (cvsa_agreement, evaluate_quality, quality_run,
                           run_tag)
from .report import result
from .tables import QUALITY_CONFIGS
from .verdicts import quality_verdicts


def bench_quality(roots,
                  settings,
                  work_dir,
                  rows,
                  configs=QUALITY_CONFIGS,
                  section='quality'):
    from mmfgssl.evaluation import (build_eval_loader, build_eval_preprocessor,
                                    build_frozen_backbone)
    from mmfgssl.utils import mean_and_std
    epochs, seeds = settings['epochs'], settings['seeds']
    root, mask_root = roots['quality'], roots['quality_masks']
    print(f'== {section}: {len(configs)} configs x seeds {seeds}, '
          f'{epochs} epochs each, on {root}')
    if any(
            uses_detector_masks(load_config(path).train_dataloader)
            for _, path, _, _ in configs):
        ensure_masks(osp.join(root, 'images'), mask_root)
    base_cfg = load_config(QUALITY_CONFIGS[0][1])  # BYOL's backbone
    # whole images resized to eval_size: no part of a box is cut, and the
    # test split's loader serves both kNN / retrieval and localisation
    loaders = [
        build_eval_loader(
            base_cfg.train_dataloader.dataset,
            split,
            settings['eval_size'],
            64,
            0,
            root,
            crop=False) for split in ('train', 'test')
    ]
    loc_loader = loaders[1]
    num_classes = len(loaders[0].dataset.metainfo['classes'])
    preprocessor = build_eval_preprocessor(base_cfg)
    results, timings, diagnostics = {}, {}, {}
    # random initialisation, the floor (no training)
    for seed in seeds:
        holder = torch.nn.Module()
        holder.backbone = build_frozen_backbone(
            base_cfg.model.backbone, seed=seed)
        results.setdefault('random init', []).append(
            evaluate_quality(holder, loaders, preprocessor, num_classes,
                             loc_loader))
    for name, path, _, _ in configs:
        for seed in seeds:
            model, seconds, epochs_log, diag = quality_run(
                path, root, epochs, seed,
                osp.join(work_dir, 'quality', run_tag(name, seed)),
                settings['quality_batch_size'], mask_root)
            res = evaluate_quality(model, loaders, preprocessor, num_classes,
                                   loc_loader)
            if hasattr(model, 'align_head'):
                cfg = load_config(path)
                diag.update(cvsa_agreement(model, cfg, root))
            results.setdefault(name, []).append(res)
            timings.setdefault(name, []).append((seconds, epochs_log))
            for key, value in diag.items():
                diagnostics.setdefault((name, key), []).append(value)
            avg = res['avg']
            print(
                f"  {name} seed {seed}: {seconds:.0f} s, kNN "
                f"{avg['knn_top1']:.1f}, rank-1 {avg['rank1']:.1f}, "
                f"MaxBoxAcc {avg['maxboxacc']:.1f}, box energy "
                f"{avg['box_energy']:.1f}" +
                (f", rank-1 (Eq. 8) {res['gfb']['rank1']:.1f}"
                 if 'gfb' in res else ''),
                flush=True)
            del model
    verdicts = quality_verdicts(results, diagnostics, configs)
    baselines = {name: base for name, _, base, _ in configs}
    configs = {name: path for name, path, _, _ in configs}
    metrics = ('knn_top1', 'rank1', 'maxboxacc', 'box_energy',
               'gfb_box_energy')
    for name, runs in results.items():
        for pooling in runs[0]:
            for metric in metrics:
                if metric not in runs[0][pooling]:
                    continue
                values = [r[pooling][metric] for r in runs]
                mean, std = mean_and_std(values)
                rows.append(
                    result(
                        section=section,
                        name=name,
                        config=configs.get(name, ''),
                        baseline=baselines.get(name) or '',
                        metric=metric
                        if pooling == 'avg' else f'{metric} (Eq. 8)',
                        value=mean,
                        std=std,
                        values=' '.join(f'{v:.1f}' for v in values)))
    for verdict in verdicts:
        rows.append(
            result(
                section='targets',
                config=configs.get(verdict['name'], ''),
                **verdict))
    for name, runs in timings.items():
        seconds = [s for s, _ in runs]
        rows.append(
            result(
                section=section,
                name=name,
                config=configs[name],
                baseline=baselines[name] or '',
                metric='pre-training s',
                value=statistics.median(seconds),
                range=max(seconds) - min(seconds)))
    for (name, key), values in diagnostics.items():
        mean, std = mean_and_std(values)
        rows.append(
            result(
                section='diagnostics',
                name=name,
                config=configs[name],
                metric=key,
                value=mean,
                std=std,
                values=' '.join(f'{v:.3g}' for v in values)))
    return timings
