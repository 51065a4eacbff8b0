# Copyright (c) OpenMMLab. All rights reserved.
from .saliency_alignment import (alignment_loss, correspondence,
                                 cross_view_attention, downsample_mask)

__all__ = [
    'alignment_loss', 'correspondence', 'cross_view_attention',
    'downsample_mask'
]
