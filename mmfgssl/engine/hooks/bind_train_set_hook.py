# Copyright (c) OpenMMLab. All rights reserved.
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from mmfgssl.datasets import bind_train_set, pipeline_dataset


@HOOKS.register_module()
class BindTrainSetHook(Hook):
    """Bind the training dataset to the ``'train_set'`` background sources
    of its pipeline (SaliencySwap, CopyPasteBackground), for dataset types
    that do not do it themselves (mmfgssl's datasets do; mmpretrain's
    ``ImageNet`` does not).

    Runs in ``before_run``, before the data-loader workers start, so they
    inherit the binding.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        dataset = pipeline_dataset(runner.train_dataloader.dataset,
                                   'BindTrainSetHook')
        num = bind_train_set(dataset.pipeline, dataset)
        runner.logger.info(
            f'BindTrainSetHook: {type(dataset).__name__} bound to {num} '
            "transform(s) with 'train_set' backgrounds")
