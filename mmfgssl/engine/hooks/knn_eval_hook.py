# Copyright (c) OpenMMLab. All rights reserved.
import copy
from typing import List, Optional, Tuple

import torch
from mmengine.dist import collect_results, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmpretrain.registry import HOOKS, MODELS

from mmfgssl.datasets import pipeline_dataset
from ...evaluation.frozen_features import extract_features

DATA_BATCH = Optional[dict]


@HOOKS.register_module()
class KNNEvalHook(Hook):
    """Weighted kNN top-1 of the backbone's frozen features during
    pre-training, logged as ``knn_top1`` (in percent).

    Every ``interval`` epochs (or iterations with ``by_epoch=False``) the
    globally averaged last-stage features of two labelled splits are
    extracted with the backbone in eval mode, each process taking its shard
    of each split; the features are gathered and rank 0 classifies the
    ``val_dataloader`` images by a similarity-weighted vote of their ``k``
    nearest ``train_dataloader`` images
    (:func:`mmfgssl.evaluation.functional.weighted_knn_classify`, Wu et al.
    CVPR 2018, Eq. 8). The number goes to the logger and the visualizer
    (``scalars.json``); all processes take part, so it works under DDP.

    Args:
        train_dataloader (dict): Loader config of the labelled gallery split
            (a test-style pipeline: resize, centre crop, ``PackInputs``).
        val_dataloader (dict): Loader config of the query split. A loader
            whose dataset has no ``data_root`` takes the training set's, so
            that overriding ``train_dataloader.dataset.data_root`` moves the
            evaluation with it.
        interval (int): Evaluate every ``interval`` epochs / iterations.
            Defaults to 1.
        by_epoch (bool): Count epochs (True) or iterations. Defaults to True.
        k (int): Neighbours. Defaults to 20.
        temperature (float): Vote temperature. Defaults to 0.07.
        data_preprocessor (dict, optional): Normalisation of the inputs;
            defaults to the model's ``mean`` / ``std`` / channel order.
    """

    priority = 'LOW'

    def __init__(self,
                 train_dataloader: dict,
                 val_dataloader: dict,
                 interval: int = 1,
                 by_epoch: bool = True,
                 k: int = 20,
                 temperature: float = 0.07,
                 data_preprocessor: Optional[dict] = None) -> None:
        if interval < 1:
            raise ValueError(f'KNNEvalHook: interval must be >= 1, got '
                             f'{interval}')
        self.loader_cfgs = dict(train=train_dataloader, val=val_dataloader)
        self.interval = interval
        self.by_epoch = by_epoch
        self.k = k
        self.temperature = temperature
        self.preprocessor_cfg = data_preprocessor
        self.loaders = None
        self.preprocessor = None

    def _model(self, runner):
        model = runner.model
        return model.module if is_model_wrapper(model) else model

    def _build(self, runner) -> None:
        train_root = getattr(
            pipeline_dataset(runner.train_dataloader.dataset, 'KNNEvalHook'),
            'data_root', None)
        self.loaders = {}
        for name, cfg in self.loader_cfgs.items():
            cfg = copy.deepcopy(cfg)
            if 'data_root' not in cfg['dataset']:
                # the labelled splits of the set being trained on
                cfg['dataset']['data_root'] = train_root
            self.loaders[name] = runner.build_dataloader(cfg, seed=runner.seed)
        cfg = self.preprocessor_cfg
        if cfg is None:
            pre = self._model(runner).data_preprocessor
            cfg = dict(
                type='ClsDataPreprocessor',
                mean=pre.mean.flatten().tolist(),
                std=pre.std.flatten().tolist(),
                to_rgb=bool(getattr(pre, '_channel_conversion', False)))
        self.preprocessor = MODELS.build(cfg)

    def _features(self, runner, name: str) -> Tuple[torch.Tensor, ...]:
        loader = self.loaders[name]
        model = self._model(runner)
        device = next(model.parameters()).device
        self.preprocessor.to(device)
        feats, labels = extract_features(
            lambda x: model.backbone(x)[-1].mean(dim=(2, 3)),  # B x C
            self.preprocessor,
            loader)
        parts: List[tuple] = list(zip(feats, labels))
        if get_world_size() > 1:
            parts = collect_results(parts, len(loader.dataset), 'cpu')
        if not parts:  # not rank 0
            return None, None
        return (torch.stack([p[0] for p in parts]),
                torch.stack([p[1] for p in parts]))

    def evaluate(self, runner) -> Optional[float]:
        """Extract both splits, classify, log; returns top-1 on rank 0."""
        from mmfgssl.evaluation.functional import weighted_knn_classify
        if self.loaders is None:
            self._build(runner)
        model = self._model(runner)
        was_training = model.training
        model.eval()
        try:
            train_x, train_y = self._features(runner, 'train')
            test_x, test_y = self._features(runner, 'val')
        finally:
            model.train(was_training)
        if train_x is None:
            return None
        num_classes = len(self.loaders['train'].dataset.metainfo['classes'])
        pred = weighted_knn_classify(
            train_x,
            train_y,
            test_x,
            num_classes,
            k=self.k,
            temperature=self.temperature)
        top1 = 100.0 * float((pred == test_y).float().mean())
        runner.logger.info(
            f'KNNEvalHook: knn_top1 {top1:.2f} (k={self.k}, {len(test_y)} '
            f'queries, {len(train_y)} gallery images)')
        runner.visualizer.add_scalars({'knn_top1': top1}, step=runner.iter)
        runner.message_hub.update_info('knn_top1', top1)
        return top1

    def after_train_epoch(self, runner) -> None:
        if self.by_epoch and self.every_n_epochs(runner, self.interval):
            self.evaluate(runner)

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: DATA_BATCH = None,
                         outputs: Optional[dict] = None) -> None:
        if not self.by_epoch and self.every_n_train_iters(
                runner, self.interval):
            self.evaluate(runner)
