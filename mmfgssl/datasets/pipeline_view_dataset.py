# Copyright (c) OpenMMLab. All rights reserved.
from typing import List, Union

from mmcv.transforms import Compose
from mmpretrain.registry import TRANSFORMS
from torch.utils.data import Dataset


class PipelineViewDataset(Dataset):
    """The samples of a dataset through another pipeline.

    ``view[i]`` is ``pipeline(dataset.get_data_info(i))``: the same
    annotations (and ``sample_idx``) as the wrapped mmengine dataset, with a
    different, e.g. deterministic, pipeline. Nothing is loaded twice. Used by
    :class:`~mmfgssl.engine.hooks.ContrastiveCropHook` to run the model over
    the training set.

    Args:
        dataset: A dataset with ``get_data_info(idx)`` and ``len()``, e.g. an
            :class:`mmengine.dataset.BaseDataset`.
        pipeline (list[dict | callable]): The transforms, built with
            mmpretrain's ``TRANSFORMS``.
    """

    def __init__(self, dataset, pipeline: List[Union[dict, callable]]):
        if not hasattr(dataset, 'get_data_info'):
            raise TypeError(
                f'PipelineViewDataset needs a dataset with get_data_info(), '
                f'got {type(dataset).__name__}')
        self.dataset = dataset
        self.pipeline = Compose([
            TRANSFORMS.build(t) if isinstance(t, dict) else t for t in pipeline
        ])

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, idx: int) -> dict:
        return self.pipeline(self.dataset.get_data_info(idx))
