# Copyright (c) OpenMMLab. All rights reserved.
from typing import Sequence

import numpy as np
import torch


class BoxTable:
    """One normalised box per dataset index, in shared memory.

    The table of ContrastiveCrop (Peng et al., CVPR 2022, section 3.2): the
    :class:`~mmfgssl.engine.hooks.ContrastiveCropHook` writes it in the main
    process of each rank, the
    :class:`~mmfgssl.datasets.transforms.ContrastiveCrop` transforms read it
    in the data-loader workers by ``sample_idx``.

    ``boxes`` (N x 4 float32, normalised ``x0, y0, x1, y1``) and ``active``
    (one flag: whether crops use the boxes yet, i.e. warm-up is over) are
    torch tensors moved to shared memory when the table is created. The hook
    creates the table and hands it to the transforms before the training
    data loader starts its workers, so forked and spawned workers map the
    same memory (torch pickles shared tensors by handle), and writes made
    later by the main process, in place, are seen by persistent workers from
    their next sample on. Never replace the tensors, write into them
    (:meth:`update`, :meth:`set_active`, :meth:`load_state_dict`).

    Args:
        num_samples (int): Dataset length.
        init_box (Sequence[float]): The box every index starts with.
            Defaults to the whole image ``(0, 0, 1, 1)``.
    """

    def __init__(self,
                 num_samples: int,
                 init_box: Sequence[float] = (0., 0., 1., 1.)):
        if num_samples <= 0:
            raise ValueError(
                f'BoxTable needs a non-empty dataset, got {num_samples}')
        init = self.check_boxes(
            torch.as_tensor(init_box).view(1, 4), 'init_box')
        self.boxes = init.repeat(num_samples, 1).share_memory_()  # N x 4
        self.active = torch.zeros(1, dtype=torch.bool).share_memory_()

    @staticmethod
    def check_boxes(boxes: torch.Tensor, what: str) -> torch.Tensor:
        """Return ``boxes`` as float32 after checking ``0 <= x0 < x1 <= 1``
        and ``0 <= y0 < y1 <= 1``; raise ValueError naming ``what``."""
        boxes = torch.as_tensor(boxes, dtype=torch.float32)
        if boxes.dim() != 2 or boxes.shape[1] != 4:
            raise ValueError(f'{what}: expected N x 4 boxes, got shape '
                             f'{tuple(boxes.shape)}')
        bad = ~(
            torch.isfinite(boxes).all(1) & (boxes[:, :2] >= 0).all(1) &
            (boxes[:, 2:] <= 1).all(1) & (boxes[:, 0] < boxes[:, 2]) &
            (boxes[:, 1] < boxes[:, 3]))
        if bad.any():
            idx = int(bad.nonzero()[0])
            raise ValueError(
                f'{what}: box {idx} {boxes[idx].tolist()} is not a '
                'normalised (x0, y0, x1, y1) box with 0 <= x0 < x1 <= 1 '
                'and 0 <= y0 < y1 <= 1')
        return boxes

    def __len__(self) -> int:
        return self.boxes.shape[0]

    def get(self, index: int) -> np.ndarray:
        """The box of dataset index ``index`` as a float array (4, )."""
        if not 0 <= index < len(self):
            raise IndexError(f'sample_idx {index} is out of the box table '
                             f'of {len(self)} samples')
        return self.boxes[index].numpy().copy()

    @property
    def is_active(self) -> bool:
        return bool(self.active.item())

    def set_active(self, active: bool) -> None:
        self.active.fill_(bool(active))

    def update(self, boxes: torch.Tensor) -> None:
        """Overwrite every box, in place (N x 4, normalised)."""
        boxes = self.check_boxes(boxes, 'BoxTable.update')
        if boxes.shape != self.boxes.shape:
            raise ValueError(f'BoxTable.update: {boxes.shape[0]} boxes for '
                             f'a table of {len(self)}')
        self.boxes.copy_(boxes)

    def state_dict(self) -> dict:
        return dict(boxes=self.boxes.clone())

    def load_state_dict(self, state: dict, source: str = 'state') -> None:
        """Restore :meth:`state_dict`; ``source`` names it in errors."""
        if 'boxes' not in state:
            raise KeyError(f'{source}: no "boxes" in the box table state')
        boxes = torch.as_tensor(state['boxes'])
        if boxes.shape[0] != len(self):
            raise ValueError(
                f'{source}: {boxes.shape[0]} boxes, but the training set '
                f'has {len(self)} samples')
        self.update(boxes)
