# Copyright (c) OpenMMLab. All rights reserved.
from .leave_one_out_retrieval import LeaveOneOutRetrieval

__all__ = ['LeaveOneOutRetrieval']
