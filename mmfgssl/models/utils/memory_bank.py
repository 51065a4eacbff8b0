# Copyright (c) OpenMMLab. All rights reserved.
import torch
from mmengine.dist import all_gather, broadcast
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS

from .instance_discrimination import (memory_bank_init, momentum_update_rows,
                                      sample_negative_indices)


def gather_rows(tensor: torch.Tensor) -> torch.Tensor:
    """Concatenate every rank's rows (dim 0) in rank order; the ranks may
    hold different numbers of rows (a last batch without ``drop_last``)."""
    tensor = tensor.contiguous()
    sizes = all_gather(torch.tensor([tensor.shape[0]], device=tensor.device))
    sizes = [int(s) for s in sizes]
    if len(sizes) == 1:
        return tensor
    padded = tensor.new_zeros((max(sizes), *tensor.shape[1:]))
    padded[:tensor.shape[0]] = tensor
    parts = all_gather(padded)
    return torch.cat([part[:n] for part, n in zip(parts, sizes)])


@MODELS.register_module()
class MemoryBank(BaseModule):
    """One L2-normalised embedding per training image, updated with momentum.

    The memory of NPID (Wu et al., CVPR 2018, arXiv 1805.01978, section 3.2),
    DiLo's learner (AAAI 2021, arXiv 2004.06638, section 6.1). The rows are
    buffers, so checkpoints hold them and a resumed run goes on with the
    same memory; ``written`` marks the rows updated at least once, and
    :meth:`written_fraction` (logged by :class:`~mmfgssl.models.NPID` as
    ``bank_written``) reaches 1 after the first epoch when ``length`` is the
    dataset size. Every rank keeps the whole memory: :meth:`update` gathers
    the batch of every rank first, so the ranks' memories stay equal.

    Args:
        length (int): The number of training images (``sample_idx`` must be
            below it).
        feat_dim (int): The embedding dimension. Defaults to 128.
        momentum (float): The update momentum ``m`` (NPID's code: 0.5).
            Defaults to 0.5.
        init_cfg (dict, optional): Unused; the rows start as
            :func:`~mmfgssl.models.utils.memory_bank_init`.
    """

    def __init__(self,
                 length: int,
                 feat_dim: int = 128,
                 momentum: float = 0.5,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if not 0 <= momentum < 1:
            raise ValueError(f'MemoryBank: momentum must be in [0, 1), got '
                             f'{momentum}')
        self.length = int(length)
        self.feat_dim = int(feat_dim)
        self.momentum = float(momentum)
        self.register_buffer('bank',
                             memory_bank_init(self.length, self.feat_dim))
        self.register_buffer('written',
                             torch.zeros(self.length, dtype=torch.bool))
        self._synced = False

    def sync(self) -> None:
        """Give every rank rank 0's memory, once (a no-op on one process)."""
        if not self._synced:
            broadcast(self.bank, 0)
            broadcast(self.written, 0)
            self._synced = True

    def check_indices(self, indices: torch.Tensor) -> None:
        """Refuse sample indices that have no row."""
        if indices.numel() and (int(indices.min()) < 0
                                or int(indices.max()) >= self.length):
            raise ValueError(
                f'MemoryBank: sample_idx {int(indices.max())} (min '
                f'{int(indices.min())}) has no row in a memory of '
                f'{self.length}; set model.memory_bank.length to the '
                'number of training images')

    def sample_negatives(self, batch: int, num: int) -> torch.Tensor:
        """``batch x num`` uniformly drawn row indices."""
        return sample_negative_indices(self.length, batch, num,
                                       self.bank.device)

    @torch.no_grad()
    def update(self, indices: torch.Tensor, feats: torch.Tensor) -> None:
        """Momentum-update the rows of the images of every rank's batch.

        Args:
            indices (Tensor): ``B`` this rank's sample indices.
            feats (Tensor): ``B x D`` their L2-normalised embeddings.
        """
        indices = gather_rows(indices)  # sum of the ranks' B
        feats = gather_rows(feats.detach())  # sum of the ranks' B x D
        self.check_indices(indices)
        rows = momentum_update_rows(self.bank[indices],
                                    feats.to(self.bank.dtype),
                                    self.momentum)  # W*B x D
        self.bank.index_copy_(0, indices, rows)
        self.written[indices] = True

    def written_fraction(self) -> float:
        """The fraction of rows updated at least once."""
        return float(self.written.float().mean())
