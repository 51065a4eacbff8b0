# Copyright (c) OpenMMLab. All rights reserved.
import time
from typing import List, Optional, Sequence

import torch
from mmengine.dist import all_gather, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import IterBasedTrainLoop, Runner
from mmpretrain.registry import HOOKS
from torch.utils.data import DataLoader

from mmfgssl.datasets import (BoxTable, PipelineViewDataset,
                              normalized_gt_boxes, pipeline_dataset)
from mmfgssl.models.utils import (BOX_EDGES, check_heatmap_threshold,
                                  feature_heatmaps, heatmap_thresholds,
                                  heatmaps_to_boxes, paired_box_iou)
from mmfgssl.utils.checks import check_choice
from .contrastive_crop_utils import attach_box_table, ccrop_update_epochs

CHECKPOINT_KEY = 'contrastive_crop'


@HOOKS.register_module()
class ContrastiveCropHook(Hook):
    """Update the ContrastiveCrop boxes from feature heatmaps.

    ContrastiveCrop (Peng et al., "Crafting Better Contrastive Views for
    Siamese Representation Learning", CVPR 2022, section 3.2, Eq. 2,
    Algorithm 1 and section 4.2).

    * ``before_run``: creates a :class:`~mmfgssl.datasets.BoxTable` of one
      box per training sample (``init_box``, the whole image by default)
      in shared memory and sets it on every
      :class:`~mmfgssl.datasets.transforms.ContrastiveCrop` of the training
      pipeline, before the data loader starts its workers, so persistent
      workers read every later update.
    * ``before_train_epoch``: the boxes are used from epoch ``warmup_epochs``
      (0-based) on; before that the crops are plain RandomResizedCrop.
    * ``after_train_epoch``: after epoch ``e`` (1-based) with
      ``e >= warmup_epochs``, ``e % interval == 0`` and ``e`` not the last
      epoch, the model (unwrapped from DDP) runs in eval mode over the
      training set with a deterministic ``pipeline``; the last backbone
      stage gives heatmaps (channel sum, per-image min-max with ``eps``,
      bilinear upsampling to the input,
      :func:`~mmfgssl.models.utils.feature_heatmaps`), thresholded per
      ``threshold_mode`` and ``k``
      (:func:`~mmfgssl.models.utils.heatmap_thresholds`) and closed to a
      box (:func:`~mmfgssl.models.utils.heatmaps_to_boxes`).
      Under DDP each rank does the shard of a non-shuffled
      ``DefaultSampler``; the results are gathered back into dataset order
      without the sampler's padding, so every rank writes the same table.
      The box statistics are logged (mean area, fraction of whole-image
      boxes, heatmaps with nothing above the threshold) and kept in the
      message hub as ``train/ccrop_box_area`` and
      ``train/ccrop_whole_image``, the seconds of each update as
      ``train/ccrop_update_time``.
    * Box quality: when the training samples carry a ground-truth box
      (``gt_bboxes`` of shape (1, 4), ``(x1, y1, x2, y2)`` pixels of the
      original image, as :class:`~mmfgssl.datasets.CUBWithBoxes`), the
      table's boxes are compared with them, normalised by the image size
      (``width`` / ``height`` of the sample, else read from the image
      header once and cached): the mean IoU and the fraction with IoU >=
      0.5 are logged and kept as ``train/ccrop_gt_iou`` and
      ``train/ccrop_gt_iou50`` (after every update and a restore). The
      comparison assumes the update pipeline maps the whole original image
      to the heatmap (the default resize does); without ``gt_bboxes`` there
      is nothing of this.
    * Checkpoints hold the table under ``'contrastive_crop'``; a resumed
      run restores it (a ``load_from`` of weights leaves it alone).

    The table is indexed by ``sample_idx`` of the training dataset, or of
    the dataset inside a ``RepeatDataset``-like wrapper (one with a
    ``dataset`` attribute); ``ConcatDataset`` is not supported.

    Args:
        warmup_epochs (int): Epochs of plain RandomResizedCrop before the
            first update. The paper: 20 of 100 on ImageNet, 100 of 500 on
            small datasets. Defaults to 20.
        interval (int): Update every ``interval`` epochs. Defaults to 20.
        k (float): Heatmap threshold of Eq. 2 with ``threshold_mode``
            ``'fixed'``, in ``[0, 1)``; the multiple of the mean (> 0) with
            ``'mean'``; the quantile level, in ``(0, 1)``, with
            ``'quantile'``. Defaults to 0.1.
        eps (float): Added to the per-image heatmap range. Defaults to 1e-6.
        img_size (int): Side of the square image of the default update
            pipeline (load, resize, pack). Defaults to 224.
        pipeline (list[dict], optional): A deterministic pipeline ending in
            ``PackInputs`` that replaces the default one.
        batch_size (int, optional): Batch size of the update pass. Defaults
            to the training batch size.
        num_workers (int, optional): Workers of the update pass. Defaults to
            those of the training data loader.
        init_box (Sequence[float]): The initial normalised box of every
            sample. Defaults to (0, 0, 1, 1).
        collapse_warning (float): Warn when more than this fraction of the
            boxes is the whole image (k too low). Defaults to 0.5.
        threshold_mode (str): How the threshold of each heatmap follows
            from ``k``: ``'fixed'`` (the paper's Eq. 2: ``k`` itself, 0.1
            in the paper), ``'mean'`` (``k`` times the heatmap's mean, so
            ``k = 1`` keeps the positions above the mean) or
            ``'quantile'`` (the heatmap's ``k``-quantile, so a fraction
            ``1 - k`` of the positions is above it). ``'mean'`` and
            ``'quantile'`` are not in the paper; they exist because the
            min-max normalised heatmaps of other backbones can be mostly
            above 0.1, so that the fixed threshold closes to the whole
            image and the crops are no longer guided by the object (the
            authors' issue tracker reports this); a threshold relative to
            each heatmap's own distribution does not depend on how its
            values spread over ``[0, 1]``. Defaults to 'fixed'.
        box_edge (str): Where a box ends (:func:`~mmfgssl.models.utils.
            heatmaps_to_boxes`): ``'pixel'`` (after its last pixel, so a
            full mask is exactly the whole image) or ``'index'`` (at its
            last index, the authors' code). Defaults to 'pixel'.
    """

    priority = 'NORMAL'

    def __init__(self,
                 warmup_epochs: int = 20,
                 interval: int = 20,
                 k: float = 0.1,
                 eps: float = 1e-6,
                 img_size: int = 224,
                 pipeline: Optional[List[dict]] = None,
                 batch_size: Optional[int] = None,
                 num_workers: Optional[int] = None,
                 init_box: Sequence[float] = (0., 0., 1., 1.),
                 collapse_warning: float = 0.5,
                 threshold_mode: str = 'fixed',
                 box_edge: str = 'pixel'):
        check_choice('ContrastiveCropHook.box_edge', box_edge, BOX_EDGES)
        if warmup_epochs < 0 or interval < 1:
            raise ValueError(
                'ContrastiveCropHook: need warmup_epochs >= 0 and interval '
                f'>= 1, got {warmup_epochs} and {interval}')
        try:
            check_heatmap_threshold(threshold_mode, k)
        except ValueError as e:
            raise ValueError(f'ContrastiveCropHook: {e}') from None
        self.warmup_epochs = warmup_epochs
        self.interval = interval
        self.k = k
        self.threshold_mode = threshold_mode
        self.box_edge = box_edge
        self.eps = eps
        if pipeline is None:
            pipeline = [
                dict(type='LoadImageFromFile'),
                dict(type='Resize', scale=(img_size, img_size)),
                dict(type='PackInputs')
            ]
        self.pipeline = pipeline
        self.batch_size = batch_size
        self.num_workers = num_workers
        self.init_box = tuple(float(v) for v in init_box)
        BoxTable.check_boxes(torch.tensor([self.init_box]), 'init_box')
        self.collapse_warning = collapse_warning
        self.box_table: Optional[BoxTable] = None
        self._loaded_state = None
        # the normalised ground-truth boxes (N x 4), read at the first use;
        # None when the dataset has none
        self._gt_boxes: Optional[torch.Tensor] = None
        self._gt_loaded = False

    # ----------------------------------------------------------- set-up
    @staticmethod
    def _indexed_dataset(runner):
        """The dataset whose ``sample_idx`` the pipeline sees."""
        return pipeline_dataset(runner.train_dataloader.dataset,
                                'ContrastiveCropHook')

    def _setup(self, runner) -> None:
        if self.box_table is not None:
            return
        if isinstance(runner.train_loop, IterBasedTrainLoop):
            raise TypeError('ContrastiveCropHook schedules by epoch; use '
                            "train_cfg=dict(by_epoch=True, ...)")
        dataset = self._indexed_dataset(runner)
        self.box_table = BoxTable(len(dataset), self.init_box)
        num_crops = attach_box_table(dataset.pipeline, self.box_table)
        runner.logger.info(
            f'ContrastiveCrop: a box table of {len(dataset)} samples '
            f'(initial box {self.init_box}) for {num_crops} transform(s); '
            f'updates after epochs >= {self.warmup_epochs} every '
            f'{self.interval}, threshold {self._threshold_text()}')

    def before_run(self, runner) -> None:
        self._setup(runner)

    # ----------------------------------------------------------- schedule
    def before_train(self, runner) -> None:
        self._setup(runner)
        if self._loaded_state is None:
            return
        state, epoch, source = self._loaded_state
        self._loaded_state = None
        if runner.epoch > 0 and runner.epoch == epoch:
            self.box_table.load_state_dict(state, source)
            runner.logger.info(
                f'ContrastiveCrop: restored {len(self.box_table)} boxes '
                f'from {source} (epoch {epoch})')
            self._log_stats(runner, self.box_table.boxes, None, 'restored')
        else:
            runner.logger.info(
                f'ContrastiveCrop: {source} holds boxes of epoch {epoch}, '
                f'but training starts at epoch {runner.epoch} (not a '
                'resume): starting from the initial boxes')

    def before_train_epoch(self, runner) -> None:
        self.box_table.set_active(runner.epoch >= self.warmup_epochs)

    def after_train_epoch(self, runner) -> None:
        done = runner.epoch + 1
        if done in ccrop_update_epochs(self.warmup_epochs, self.interval,
                                       runner.max_epochs):
            self.update_boxes(runner, done)

    # ----------------------------------------------------------- update
    def _build_loader(self, runner, dataset) -> DataLoader:
        train_loader = runner.train_dataloader
        view = PipelineViewDataset(dataset, self.pipeline)
        num_workers = (
            train_loader.num_workers
            if self.num_workers is None else self.num_workers)
        return Runner.build_dataloader(
            dict(
                dataset=view,
                batch_size=self.batch_size or train_loader.batch_size,
                sampler=dict(
                    type='DefaultSampler', shuffle=False, round_up=True),
                num_workers=num_workers,
                collate_fn=dict(type='default_collate'),
                persistent_workers=False),
            seed=runner.seed)

    @torch.no_grad()
    def compute_boxes(self, model, loader: DataLoader) -> torch.Tensor:
        """Boxes of this rank's shard, in the sampler's order.

        Returns:
            torch.Tensor: Rows ``(sample_idx, x0, y0, x1, y1, empty)``,
            float64 of shape (M, 6).
        """
        if not hasattr(model, 'backbone'):
            raise AttributeError(
                'ContrastiveCropHook: the model has no `backbone` to take '
                f'the feature maps from ({type(model).__name__})')
        indices = list(loader.sampler)
        rows, start = [], 0
        for data in loader:
            data = model.data_preprocessor(data, False)
            inputs = data['inputs']  # inputs: B x 3 x H x W
            if not isinstance(inputs, torch.Tensor) or inputs.dim() != 4:
                raise TypeError(
                    'ContrastiveCropHook: the update pipeline must give one '
                    'image per sample (no MultiView)')
            feats = model.backbone(inputs)[-1]  # last stage: B x C x h x w
            heat = feature_heatmaps(feats, inputs.shape[-2:],
                                    self.eps)  # heat: B x H x W
            thresholds = heatmap_thresholds(heat, self.threshold_mode,
                                            self.k)  # thresholds: B
            boxes, empty = heatmaps_to_boxes(heat, thresholds,
                                             self.box_edge)  # B x 4, B
            num = boxes.shape[0]
            idx = torch.tensor(indices[start:start + num])  # idx: B
            start += num
            rows.append(
                torch.cat([
                    idx[:, None].double(),
                    boxes.cpu().double(),
                    empty.cpu()[:, None].double()
                ], 1))  # B x 6
        return torch.cat(rows) if rows else torch.zeros(
            0, 6, dtype=torch.float64)

    def gather_boxes(self, local: torch.Tensor, size: int) -> torch.Tensor:
        """All ranks' rows in dataset order, the sampler's padding dropped.

        A non-shuffled ``DefaultSampler`` gives rank ``r`` the global
        positions ``r, r + W, r + 2W, ...`` of ``range(size)`` padded to a
        multiple of the world size ``W``; interleaving the ranks' rows and
        cutting at ``size`` restores ``0 .. size - 1``.

        Returns:
            torch.Tensor: Rows of shape (size, 6), row ``i`` for index ``i``.
        """
        parts = all_gather(local)  # W tensors of M x 6
        if len({p.shape[0] for p in parts}) != 1:
            raise RuntimeError(
                'ContrastiveCropHook: ranks computed different numbers of '
                f'boxes {[p.shape[0] for p in parts]}')
        rows = torch.stack(parts, 1).reshape(-1, 6)[:size]  # size x 6
        if not torch.equal(rows[:, 0].long(), torch.arange(size)):
            raise RuntimeError(
                'ContrastiveCropHook: the gathered boxes do not cover the '
                f'dataset indices 0..{size - 1} in order')
        return rows

    def update_boxes(self, runner, epoch: int) -> None:
        """Recompute every box with the current model and write the table."""
        start = time.time()
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        dataset = self._indexed_dataset(runner)
        loader = self._build_loader(runner, dataset)
        was_training = model.training
        model.eval()
        try:
            local = self.compute_boxes(model, loader)
        finally:
            model.train(was_training)
        rows = self.gather_boxes(local, len(dataset))
        self.box_table.update(rows[:, 1:5].float())
        seconds = time.time() - start
        runner.message_hub.update_scalar('train/ccrop_update_time', seconds)
        runner.logger.info(
            f'ContrastiveCrop: boxes updated after epoch {epoch} in '
            f'{seconds:.2f} s ({len(dataset)} samples, world size '
            f'{get_world_size()})')
        self._log_stats(runner, self.box_table.boxes, rows[:, 5].bool(),
                        'updated')

    def _threshold_text(self) -> str:
        """The threshold in words, for the log."""
        if self.threshold_mode == 'mean':
            return f'k={self.k} x the heatmap mean'
        if self.threshold_mode == 'quantile':
            return f'the k={self.k} quantile of the heatmap'
        return f'k={self.k}'

    # ----------------------------------------------------------- box quality
    def _ground_truth_boxes(self, runner) -> Optional[torch.Tensor]:
        """The training samples' normalised ground-truth boxes
        (:func:`normalized_gt_boxes`), read once and cached."""
        if not self._gt_loaded:
            self._gt_loaded = True
            self._gt_boxes = normalized_gt_boxes(
                self._indexed_dataset(runner), runner.logger.warning,
                'ContrastiveCrop')
        return self._gt_boxes

    def _log_stats(self, runner, boxes: torch.Tensor,
                   empty: Optional[torch.Tensor], what: str) -> None:
        area = ((boxes[:, 2] - boxes[:, 0]) *
                (boxes[:, 3] - boxes[:, 1])).mean().item()
        whole = ((boxes[:, :2] <= 0).all(1) &
                 (boxes[:, 2:] >= 1).all(1)).float().mean().item()
        runner.message_hub.update_scalar('train/ccrop_box_area', area)
        runner.message_hub.update_scalar('train/ccrop_whole_image', whole)
        msg = (f'ContrastiveCrop boxes ({what}): mean area {area:.4f}, '
               f'whole-image {whole:.1%}')
        if empty is not None:
            msg += (f', {int(empty.sum())} heatmap(s) with no value above '
                    f'{self._threshold_text()} (whole image)')
        gt_boxes = self._ground_truth_boxes(runner)
        if gt_boxes is not None:
            iou = paired_box_iou(boxes, gt_boxes)  # iou: N
            mean_iou = iou.mean().item()
            iou50 = (iou >= 0.5).double().mean().item()
            runner.message_hub.update_scalar('train/ccrop_gt_iou', mean_iou)
            runner.message_hub.update_scalar('train/ccrop_gt_iou50', iou50)
            msg += (f', IoU with the ground-truth boxes {mean_iou:.4f} '
                    f'(IoU >= 0.5: {iou50:.1%})')
        runner.logger.info(msg)
        if whole > self.collapse_warning:
            hint = ('the paper uses 0.1 for ResNets; others may need '
                    "0.3-0.5, or threshold_mode='mean' / 'quantile'"
                    if self.threshold_mode == 'fixed' else 'raise k')
            runner.logger.warning(
                f'ContrastiveCrop: {whole:.1%} of the boxes are the whole '
                f'image: the threshold {self._threshold_text()} may be too '
                f'low for this backbone ({hint})')

    # ----------------------------------------------------------- checkpoint
    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if self.box_table is not None:
            checkpoint[CHECKPOINT_KEY] = self.box_table.state_dict()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get(CHECKPOINT_KEY)
        if state is None:
            return
        epoch = checkpoint.get('meta', {}).get('epoch')
        self._loaded_state = (state, epoch,
                              f'the checkpoint key "{CHECKPOINT_KEY}"')
