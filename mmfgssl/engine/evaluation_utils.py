# Copyright (c) OpenMMLab. All rights reserved.
"""Feature extraction shared by the evaluation hooks and tools."""
from typing import Tuple

import torch
from torch import nn

__all__ = ['extract_pooled_features']


@torch.no_grad()
def extract_pooled_features(backbone: nn.Module, preprocessor: nn.Module,
                            loader) -> Tuple[torch.Tensor, torch.Tensor]:
    """Globally averaged last-stage features and labels of a loader.

    Args:
        backbone (nn.Module): Gives a tuple of feature maps; the last one
            (``B x C x H x W``) is averaged over H x W.
        preprocessor (nn.Module): A ``ClsDataPreprocessor``-like module
            (``preprocessor(data, False)``).
        loader (Iterable): Batches of ``PackInputs`` samples with labels.

    Returns:
        tuple[Tensor, Tensor]: ``N x C`` features (CPU) and ``N`` labels.
    """
    feats, labels = [], []
    for data in loader:
        data = preprocessor(data, False)
        x = backbone(data['inputs'])[-1]  # x: B x C x H x W
        feats.append(x.mean(dim=(2, 3)).cpu())  # B x C
        labels.append(
            torch.as_tensor(
                [int(s.gt_label.item()) for s in data['data_samples']]))
    if not feats:
        return torch.zeros(0, 0), torch.zeros(0, dtype=torch.long)
    return torch.cat(feats), torch.cat(labels)
