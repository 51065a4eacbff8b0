# Copyright (c) OpenMMLab. All rights reserved.
from .leave_one_out_retrieval import LeaveOneOutRetrieval
from .max_box_acc import MaxBoxAcc

__all__ = ['LeaveOneOutRetrieval', 'MaxBoxAcc']
