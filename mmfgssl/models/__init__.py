# Copyright (c) OpenMMLab. All rights reserved.
from . import classifiers, heads, losses, necks, selfsup, utils  # noqa: F401
from .backbones import ResNetNoMaxPool
from .classifiers import CAMClassifier
from .heads import GFBHead, SaliencyAlignHead
from .losses import GradCAMKLLoss, SaliencyAlignLoss
from .necks import ConvNonLinearNeck, GFBWeightedPooling
from .selfsup import BYOLGFB, CVSA, NPID, GFBMixin, MoCoGFB
from .utils import MemoryBank, feature_heatmaps, heatmaps_to_boxes

__all__ = [
    'ResNetNoMaxPool', 'CAMClassifier', 'GFBHead', 'GradCAMKLLoss',
    'GFBWeightedPooling', 'BYOLGFB', 'GFBMixin', 'MoCoGFB', 'feature_heatmaps',
    'heatmaps_to_boxes', 'CVSA', 'ConvNonLinearNeck', 'SaliencyAlignHead',
    'SaliencyAlignLoss', 'MemoryBank', 'NPID'
]
