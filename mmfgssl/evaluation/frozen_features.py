# Copyright (c) OpenMMLab. All rights reserved.
"""kNN and retrieval of frozen features, outside a Runner.

Used by ``tools/analysis_tools/knn_eval.py`` and
``tools/benchmarks/cost_and_gain.py``; the metrics themselves are the pure
functions of :mod:`mmfgssl.evaluation.functional.knn`.
"""
import copy
from typing import Callable, Dict, Optional, Tuple

import torch
from mmengine.runner import Runner
from mmengine.utils import ProgressBar
from mmpretrain.registry import DATASETS, MODELS
from torch.utils.data import DataLoader

from .functional import leave_one_out_rank_k, weighted_knn_classify


def build_frozen_backbone(backbone_cfg: dict,
                          checkpoint: Optional[str] = None,
                          seed: int = 0) -> torch.nn.Module:
    """A config's backbone (SyncBN built as BN) at random initialisation
    drawn with ``seed``, or with the ``backbone.`` weights of
    ``checkpoint`` (loaded strictly).

    Raises:
        ValueError: If the checkpoint has no ``backbone.`` keys (naming the
            file and the prefixes it has).
    """
    from mmfgssl.utils import load_backbone, replace_sync_bn
    backbone_cfg = copy.deepcopy(backbone_cfg)
    replace_sync_bn(backbone_cfg)
    torch.manual_seed(seed)
    backbone = MODELS.build(backbone_cfg)
    backbone.init_weights()
    if checkpoint:
        _, weights = load_backbone(checkpoint, keep_prefix=False)
        backbone.load_state_dict(weights, strict=True)
    return backbone


def build_eval_preprocessor(cfg) -> torch.nn.Module:
    """A ``ClsDataPreprocessor`` with the mean / std / channel order of a
    config's data preprocessor (top-level or the model's)."""
    pre = cfg.get('data_preprocessor') or cfg.model.data_preprocessor
    return MODELS.build(
        dict(
            type='ClsDataPreprocessor',
            mean=pre['mean'],
            std=pre['std'],
            to_rgb=pre.get('to_rgb', True)))


def build_eval_loader(dataset_cfg: dict,
                      split: str,
                      img_size: int,
                      batch_size: int = 64,
                      num_workers: int = 0,
                      data_root: Optional[str] = None,
                      crop: bool = True) -> DataLoader:
    """A non-shuffled loader of ``split`` of a (training) dataset config,
    with the evaluation pipeline: short edge resized to ``img_size / 0.875``
    (pillow), centre crop ``img_size``.

    With ``crop=False`` the whole image is resized to ``img_size x
    img_size`` instead (pillow, aspect ratio not kept), so that no part of
    the object box is cut: the localisation protocol of Choe et al. (CVPR
    2020), used by :func:`mmfgssl.evaluation.evaluate_localization`. The
    samples carry PackInputs' default meta keys (``sample_idx``,
    ``img_path``, ``ori_shape``, ``img_shape``, ``scale_factor``) either
    way.
    """
    dataset_cfg = copy.deepcopy(dataset_cfg)
    dataset_cfg.pop('_scope_', None)
    if crop:
        resize = [
            dict(
                type='ResizeEdge',
                scale=round(img_size / 0.875),
                edge='short',
                backend='pillow'),
            dict(type='CenterCrop', crop_size=img_size),
        ]
    else:
        resize = [
            dict(type='Resize', scale=(img_size, img_size), backend='pillow')
        ]
    dataset_cfg.update(
        split=split,
        pipeline=[
            dict(type='LoadImageFromFile'), *resize,
            dict(type='PackInputs')
        ])
    if data_root:
        dataset_cfg['data_root'] = data_root
    dataset = DATASETS.build(dataset_cfg)
    return Runner.build_dataloader(
        dict(
            dataset=dataset,
            batch_size=batch_size,
            num_workers=num_workers,
            persistent_workers=False,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='default_collate')),
        seed=0)


@torch.no_grad()
def extract_features(
        feature_fn: Callable[[torch.Tensor], torch.Tensor],
        preprocessor: Callable,
        loader: DataLoader,
        desc: Optional[str] = None) -> Tuple[torch.Tensor, torch.Tensor]:
    """Features and labels of a whole split.

    Args:
        feature_fn (callable): ``B x 3 x H x W`` images to ``B x C``
            features (the caller puts its modules in eval mode).
        preprocessor (callable): A data preprocessor, called as
            ``preprocessor(data, False)``.
        loader (DataLoader): The split.
        desc (str, optional): With it, a progress bar titled so.

    Returns:
        tuple[Tensor, Tensor]: ``N x C`` features (on the CPU) and ``N``
        labels; ``0 x 0`` and ``0`` for an empty loader (a rank's empty
        shard).
    """
    feats, labels = [], []
    bar = None
    if desc is not None:
        print(f'extracting {desc}')
        bar = ProgressBar(len(loader.dataset))
    for data in loader:
        data = preprocessor(data, False)
        feats.append(feature_fn(data['inputs']).cpu())  # B x C
        labels.append(
            torch.as_tensor([s.gt_label.item() for s in data['data_samples']]))
        if bar is not None:
            for _ in range(len(labels[-1])):
                bar.update()
    if bar is not None:
        print()
    if not feats:
        return torch.zeros(0, 0), torch.zeros(0, dtype=torch.long)
    return torch.cat(feats), torch.cat(labels)


def knn_and_retrieval(train: Tuple[torch.Tensor, torch.Tensor],
                      test: Tuple[torch.Tensor, torch.Tensor],
                      num_classes: int,
                      k: int = 20,
                      temperature: float = 0.07) -> Dict[str, float]:
    """Weighted kNN top-1 of ``test`` against ``train`` and leave-one-out
    retrieval rank-1 / rank-5 within ``test``, in percent.

    Args:
        train, test: ``(features, labels)`` pairs.
    """
    pred = weighted_knn_classify(
        train[0], train[1], test[0], num_classes, k=k, temperature=temperature)
    ranks = leave_one_out_rank_k(test[0], test[1], ks=(1, 5))
    return {
        'knn_top1': 100.0 * float((pred == test[1]).float().mean()),
        'rank1': ranks[1],
        'rank5': ranks[5],
    }
