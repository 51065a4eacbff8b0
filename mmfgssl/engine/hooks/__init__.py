# Copyright (c) OpenMMLab. All rights reserved.
from .contrastive_crop_hook import ContrastiveCropHook

__all__ = ['ContrastiveCropHook']
