"""Checkpoint saves that an interruption cannot turn into data loss."""
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.fileio.backends import LocalBackend
from mmengine.hooks import CheckpointHook
from mmpretrain.registry import HOOKS

__all__ = ['AtomicCheckpointHook', 'atomic_write_text']

PARTIAL_SUFFIX = '.part'


def atomic_write_text(path, text):
    """Write ``text`` to ``path`` through a temporary file and
    :func:`os.replace`, so ``path`` holds either the old or the new text."""
    tmp = path + PARTIAL_SUFFIX
    with open(tmp, 'w') as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@HOOKS.register_module(name=['AtomicCheckpointHook', 'CheckpointHook'])
class AtomicCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` with atomic saves.

    mmengine removes the oldest kept checkpoint *before* writing the new one
    and writes in place, so with ``max_keep_ckpts=1`` a run killed (or a disk
    that fills up) during a save leaves no usable checkpoint, and
    ``last_checkpoint`` names a deleted or truncated file. Here a save writes
    ``<name>.part``, moves it onto ``<name>`` with :func:`os.replace` (atomic
    on one file system), then updates ``last_checkpoint`` the same way and
    only then removes the checkpoints past ``max_keep_ckpts``. An interrupted
    save leaves the previous checkpoint and ``last_checkpoint`` as they were
    (and at most a stale ``.part`` file, replaced by the next save).

    Registered in mmpretrain's ``HOOKS`` under its own name and as
    ``CheckpointHook``, so every config in the ``mmpretrain`` scope (ours,
    mmpretrain's ``default_runtime``) uses it with its arguments unchanged;
    ``type='mmengine.CheckpointHook'`` selects mmengine's. Non-local backends
    (``backend_args``) keep mmengine's behaviour.
    """

    def _save_checkpoint_with_step(self, runner, step, meta):
        if not isinstance(self.file_backend, LocalBackend):
            return super()._save_checkpoint_with_step(runner, step, meta)
        # which kept checkpoint leaves, decided as mmengine does (also when
        # _save_checkpoint and _save_best_checkpoint save the same step)
        outdated = None
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and
                                            self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))

        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = osp.join(self.out_dir, ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        partial = self.last_ckpt + PARTIAL_SUFFIX
        try:
            runner.save_checkpoint(
                self.out_dir,
                ckpt_filename + PARTIAL_SUFFIX,
                self.file_client_args,
                save_optimizer=self.save_optimizer,
                save_param_scheduler=self.save_param_scheduler,
                meta=meta,
                by_epoch=self.by_epoch,
                backend_args=self.backend_args,
                **self.args)
        except BaseException:
            if is_main_process() and osp.isfile(partial):
                os.remove(partial)
            raise
        if not is_main_process():
            return
        os.replace(partial, self.last_ckpt)
        atomic_write_text(
            osp.join(runner.work_dir, 'last_checkpoint'), self.last_ckpt)
        if outdated is not None and outdated != step:
            path = osp.join(self.out_dir, self.filename_tmpl.format(outdated))
            if osp.isfile(path):
                os.remove(path)
