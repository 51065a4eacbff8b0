# Copyright (c) OpenMMLab. All rights reserved.
from .cam_classifier import CAMClassifier

__all__ = ['CAMClassifier']
