# Copyright (c) OpenMMLab. All rights reserved.
"""Class activation maps of a last-stage feature map."""
import torch

__all__ = ['activation_cam', 'class_cam']


def activation_cam(feat: torch.Tensor) -> torch.Tensor:
    """Label-free activation map: the feature map summed over channels (the
    heatmap of ContrastiveCrop, CVPR 2022, Alg. 1), for any checkpoint.

    Args:
        feat (Tensor): ``B x C x H x W`` last-stage features.

    Returns:
        Tensor: ``B x H x W``.
    """
    return feat.sum(dim=1)  # B x H x W


def class_cam(feat: torch.Tensor, fc_weight: torch.Tensor,
              labels: torch.Tensor) -> torch.Tensor:
    """Class activation map (Zhou et al., CVPR 2016, Eq. 2; the CAM of Choe
    et al., CVPR 2020): ``M_k(x, y) = sum_c w_kc f_c(x, y)`` for the class
    ``k`` of each image, from a linear classifier on pooled features.

    Args:
        feat (Tensor): ``B x C x H x W`` last-stage features.
        fc_weight (Tensor): ``K x C`` classifier weights.
        labels (Tensor): ``B`` class indices.

    Returns:
        Tensor: ``B x H x W``.
    """
    weight = fc_weight[labels.long()]  # B x C
    return torch.einsum('bchw,bc->bhw', feat, weight)  # B x H x W
