"""Pure functions behind ``tools/model_converters/``: take the backbone out
of a pre-training checkpoint, publish a checkpoint, and convert a ResNet
between mmpretrain's and torchvision's key names.

Formats:

* **Extracted backbone** (:func:`extract_backbone`): ``{'meta': ...,
  'state_dict': ...}`` whose keys KEEP the ``backbone.`` prefix by default,
  the layout of a full mmpretrain model. So the file loads, unchanged, with
  ``init_cfg=dict(type='Pretrained', checkpoint=FILE, prefix='backbone.')``
  on a backbone (the evaluation configs in ``configs/benchmarks`` and mmdet's
  ``backbone.init_cfg``), and with mmengine's ``load_checkpoint`` into a
  whole classifier (only its head is missing). ``keep_prefix=False`` writes
  bare keys (``conv1.weight``), for ``init_cfg=dict(type='Pretrained',
  checkpoint=FILE)`` without a prefix.
* **torchvision** (:func:`mmpretrain_to_torchvision`): a plain state dict,
  as ``torchvision.models.resnet50().state_dict()`` is, loadable with
  ``model.load_state_dict(torch.load(FILE), strict=True)``.

mmpretrain's ``ResNet`` (plain stem, ``style='pytorch'``, the default) names
its modules as torchvision does (``conv1``, ``bn1``, ``layer{1-4}.{i}.conv{j}``
``/bn{j}``, ``downsample.0`` conv / ``downsample.1`` norm), so the key mapping
is the identity; what the converter adds is the check that the layout is one
torchvision has (refusing, by key, the deep stem ``stem.*`` of ResNetV1c /
ResNetV1d and the average-pool shortcut ``downsample.2.*`` of ResNetV1d), the
choice of the torchvision constructor from the block type and count, the
shape check against it, and the ``fc`` layer a self-supervised backbone does
not have. A ``style='caffe'`` ResNet (stride on the first 1x1 conv) has the
same keys and shapes but computes something else in torchvision: the keys
cannot tell, so it is not detected.
"""
import hashlib
import os
import os.path as osp
import re
import shutil
import tempfile
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch
from mmengine.logging import print_log

__all__ = [
    'checkpoint_state_dict', 'top_level_prefixes', 'extract_backbone',
    'load_backbone', 'resnet_arch', 'mmpretrain_to_torchvision',
    'publish_checkpoint', 'save_published', 'sha256sum',
    'PUBLISHED_CHECKPOINT_KEYS'
]

# what a published checkpoint keeps of mmengine's Runner checkpoint
# ('optimizer', 'param_schedulers', 'message_hub', 'ema_state_dict', ... go)
PUBLISHED_CHECKPOINT_KEYS = ('meta', 'state_dict')

# (block type, blocks per stage) -> torchvision constructor
_TORCHVISION_RESNETS = {
    ('BasicBlock', (2, 2, 2, 2)): 'resnet18',
    ('BasicBlock', (3, 4, 6, 3)): 'resnet34',
    ('Bottleneck', (3, 4, 6, 3)): 'resnet50',
    ('Bottleneck', (3, 4, 23, 3)): 'resnet101',
    ('Bottleneck', (3, 8, 36, 3)): 'resnet152',
}

_BN = r'(weight|bias|running_mean|running_var|num_batches_tracked)'
_TORCHVISION_RESNET_KEY = re.compile(
    rf'^(conv1\.weight|bn1\.{_BN}|'
    rf'layer[1-4]\.\d+\.(conv[1-3]\.weight|bn[1-3]\.{_BN}|'
    rf'downsample\.0\.weight|downsample\.1\.{_BN})|fc\.(weight|bias))$')


def checkpoint_state_dict(checkpoint, source: str = 'checkpoint') -> dict:
    """The state dict of a loaded checkpoint.

    Args:
        checkpoint (dict): What ``torch.load`` returned: mmengine's
            ``{'meta': ..., 'state_dict': ..., ...}`` or a bare state dict.
        source (str): Names the checkpoint (its file) in errors.

    Returns:
        dict: ``checkpoint['state_dict']``, or ``checkpoint`` itself when all
        its values are tensors.

    Raises:
        ValueError: If it is neither.
    """
    if isinstance(checkpoint, dict) and isinstance(
            checkpoint.get('state_dict'), dict):
        return checkpoint['state_dict']
    if isinstance(checkpoint, dict) and checkpoint and all(
            torch.is_tensor(v) for v in checkpoint.values()):
        return checkpoint
    found = (
        sorted(map(str, checkpoint))
        if isinstance(checkpoint, dict) else type(checkpoint).__name__)
    raise ValueError(f'{source} is not a checkpoint: it has no '
                     f"'state_dict' and is not a dict of tensors; found "
                     f'{found}')


def top_level_prefixes(state_dict: dict) -> List[str]:
    """Sorted distinct first components of the keys (``backbone``,
    ``target_net``, ...), for error messages."""
    return sorted({key.split('.', 1)[0] for key in state_dict})


def extract_backbone(state_dict: dict,
                     prefix: str = 'backbone.',
                     keep_prefix: bool = True,
                     source: str = 'state_dict') -> 'OrderedDict':
    """The backbone entries of a model's state dict.

    In every mmfgssl algorithm (BYOL, MoCo v2 and their ContrastiveCrop /
    DiLo configs, CVSA, MoCoGFB, BYOLGFB) and in the classifiers of
    ``configs/benchmarks`` the backbone being trained is ``backbone``; the
    momentum / target copies live under ``target_net.module.0.`` (BYOL, CVSA,
    BYOLGFB) or ``encoder_k.module.0.`` (MoCo v2, MoCoGFB) and are not taken.

    Args:
        state_dict (dict): A model's state dict.
        prefix (str): Key prefix of the backbone. Defaults to ``'backbone.'``.
        keep_prefix (bool): Keep ``prefix`` on the returned keys (the layout
            ``init_cfg=dict(type='Pretrained', prefix='backbone.')`` reads);
            False strips it. Defaults to True.
        source (str): Names the checkpoint (its file) in errors.

    Returns:
        OrderedDict: The backbone's entries, in the original order.

    Raises:
        ValueError: If no key starts with ``prefix``, listing the top-level
            prefixes that the state dict has.
    """
    if prefix and not prefix.endswith('.'):
        prefix += '.'
    backbone = OrderedDict((key if keep_prefix else key[len(prefix):], value)
                           for key, value in state_dict.items()
                           if key.startswith(prefix))
    if not backbone:
        raise ValueError(
            f'{source} has no {prefix!r} keys, so there is no backbone to '
            f'extract; its top-level prefixes are: '
            f'{", ".join(top_level_prefixes(state_dict)) or "(none)"}')
    return backbone


def load_backbone(filename: str,
                  prefix: str = 'backbone.',
                  keep_prefix: bool = True) -> Tuple[dict, 'OrderedDict']:
    """Load a checkpoint file and take its backbone out.

    Args:
        filename (str): The checkpoint (anything mmengine's
            ``CheckpointLoader`` reads).
        prefix (str): Key prefix of the backbone. Defaults to ``'backbone.'``.
        keep_prefix (bool): As in :func:`extract_backbone`.

    Returns:
        tuple: The loaded checkpoint and the backbone's entries.

    Raises:
        ValueError: If the file holds no state dict, or no key starts with
            ``prefix`` (naming the file and the prefixes it has).
    """
    from mmengine.runner import CheckpointLoader
    checkpoint = CheckpointLoader.load_checkpoint(filename, map_location='cpu')
    backbone = extract_backbone(
        checkpoint_state_dict(checkpoint, filename),
        prefix=prefix,
        keep_prefix=keep_prefix,
        source=filename)
    return checkpoint, backbone


def _stage_blocks(state_dict: dict) -> Tuple[int, ...]:
    blocks = []
    for stage in range(1, 5):
        indices = {
            int(key.split('.')[1])
            for key in state_dict if key.startswith(f'layer{stage}.')
        }
        if not indices:
            raise ValueError(
                f'no layer{stage}.* keys: torchvision\'s ResNets have 4 '
                f'stages (layer1-layer4); the top-level prefixes are: '
                f'{", ".join(top_level_prefixes(state_dict))}')
        if indices != set(range(len(indices))):
            raise ValueError(f'layer{stage} has the blocks {sorted(indices)}'
                             ', not 0..n-1')
        blocks.append(len(indices))
    return tuple(blocks)


def resnet_arch(state_dict: dict) -> str:
    """The torchvision constructor matching a bare ResNet state dict.

    Args:
        state_dict (dict): Backbone keys without prefix (``conv1.weight``).

    Returns:
        str: ``'resnet18'``, ``'resnet34'``, ``'resnet50'``, ``'resnet101'``
        or ``'resnet152'``.

    Raises:
        ValueError: For a block type / count that torchvision has no
            constructor for.
    """
    blocks = _stage_blocks(state_dict)
    block = ('Bottleneck'
             if 'layer1.0.conv3.weight' in state_dict else 'BasicBlock')
    arch = _TORCHVISION_RESNETS.get((block, blocks))
    if arch is None:
        known = ', '.join(f'{name} ({kind}s {counts})'
                          for (kind,
                               counts), name in _TORCHVISION_RESNETS.items())
        raise ValueError(
            f'a ResNet of {block}s with {blocks} blocks per stage has no '
            f'torchvision counterpart; torchvision has {known}')
    return arch


def _reference_state_dict(arch: str, num_classes: int) -> Dict[str, tuple]:
    """Key -> shape of ``torchvision.models.<arch>(num_classes)``, built on
    the meta device (no memory, no initialisation cost)."""
    import torchvision
    with torch.device('meta'):
        model = getattr(torchvision.models, arch)(num_classes=num_classes)
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}


def _refuse_layout(key: str, source: str):
    if key.startswith('stem.'):
        why = ('the deep stem (three 3x3 convs) of ResNetV1c / ResNetV1d; '
               'torchvision\'s ResNets have a single 7x7 conv1')
    elif re.match(r'^layer\d+\.\d+\.downsample\.2\.', key):
        why = ('the average-pool shortcut (avg_down) of ResNetV1d; '
               'torchvision\'s shortcut is downsample.0 conv + '
               'downsample.1 norm')
    elif key.startswith('fc.'):
        why = ('a classifier key: mmpretrain\'s ResNet backbone has no fc '
               '(its classifier is head.fc); the converter adds one '
               '(add_fc=True)')
    elif key.startswith('backbone.'):
        why = ('a prefixed key: extract the backbone first '
               '(extract_backbone(..., keep_prefix=False))')
    else:
        why = 'not a key of torchvision\'s ResNet'
    raise ValueError(f'{source}: key {key!r} has no torchvision counterpart: '
                     f'{why}')


def mmpretrain_to_torchvision(state_dict: dict,
                              num_classes: int = 1000,
                              add_fc: bool = True,
                              source: str = 'state_dict',
                              seed: Optional[int] = 0) -> 'OrderedDict':
    """Convert an mmpretrain ``ResNet`` backbone to torchvision's key names.

    Args:
        state_dict (dict): Bare backbone keys (``conv1.weight``, as
            :func:`extract_backbone` with ``keep_prefix=False`` gives) of
            mmpretrain's ``ResNet`` with depth 18 / 34 / 50 / 101 / 152.
        num_classes (int): Output size of the added ``fc``. Defaults to 1000,
            ``torchvision.models.resnet50()``'s.
        add_fc (bool): Add a freshly initialised ``fc.weight`` / ``fc.bias``
            (``torch.nn.Linear``'s default initialisation, NOT trained: a
            self-supervised backbone has no classifier) so that
            ``load_state_dict(strict=True)`` works; logged. False leaves them
            out: load with ``strict=False`` (exactly ``fc.weight`` and
            ``fc.bias`` missing) or replace ``model.fc``. Defaults to True.
        source (str): Names the checkpoint (its file) in errors and logs.
        seed (int, optional): Seed of the fc initialisation, for a
            reproducible file; None draws from the global generator.

    Returns:
        OrderedDict: torchvision's ResNet state dict, same tensors.

    Raises:
        ValueError: Naming the key, for a layout torchvision has no
            counterpart for (``stem.*``, ``downsample.2.*``, other modules),
            a missing key, or a shape that differs from torchvision's.
    """
    for key in state_dict:
        if not _TORCHVISION_RESNET_KEY.match(key) or key.startswith('fc.'):
            _refuse_layout(key, source)
    try:
        arch = resnet_arch(state_dict)
    except ValueError as e:
        raise ValueError(f'{source}: {e}') from None
    reference = _reference_state_dict(arch, num_classes)
    missing = sorted(
        set(reference) - set(state_dict) - {'fc.weight', 'fc.bias'})
    if missing:
        raise ValueError(f'{source} looks like torchvision {arch} but lacks '
                         f'{len(missing)} of its keys: {missing[:8]}')
    converted = OrderedDict()
    for key, value in state_dict.items():
        if tuple(value.shape) != reference[key]:
            raise ValueError(
                f'{source}: key {key!r} has shape {tuple(value.shape)}, '
                f'torchvision {arch} has {reference[key]}')
        converted[key] = value
    if add_fc:
        in_features = reference['fc.weight'][1]
        with torch.random.fork_rng(devices=[]):
            if seed is not None:
                torch.manual_seed(seed)
            fc = torch.nn.Linear(in_features, num_classes)
        converted['fc.weight'] = fc.weight.detach().clone()
        converted['fc.bias'] = fc.bias.detach().clone()
        print_log(
            f'{source}: converted to torchvision {arch}; added a freshly '
            f'initialised (untrained) fc {in_features} -> {num_classes} so '
            'that load_state_dict(strict=True) works', 'current')
    else:
        print_log(
            f'{source}: converted to torchvision {arch} without fc: load '
            'with strict=False (fc.weight, fc.bias missing) or replace fc',
            'current')
    return converted


def publish_checkpoint(checkpoint: dict, source: str = 'checkpoint') -> dict:
    """Strip a training checkpoint down to what a user loads.

    Keeps ``meta`` and ``state_dict`` (a bare state dict is wrapped as
    ``{'state_dict': ...}``); drops ``optimizer``, ``param_schedulers``,
    ``message_hub``, ``ema_state_dict`` and anything else, logging what went.

    Args:
        checkpoint (dict): What ``torch.load`` returned.
        source (str): Names the checkpoint (its file) in errors and logs.

    Returns:
        dict: ``{'meta': ..., 'state_dict': ...}``.
    """
    state_dict = checkpoint_state_dict(checkpoint, source)
    if state_dict is checkpoint:
        return dict(meta={}, state_dict=state_dict)
    dropped = sorted(set(checkpoint) - set(PUBLISHED_CHECKPOINT_KEYS))
    print_log(f'{source}: dropped {dropped or "nothing"}', 'current')
    return dict(meta=checkpoint.get('meta') or {}, state_dict=state_dict)


def sha256sum(path: str) -> str:
    """Hex SHA-256 of a file's bytes."""
    with open(path, 'rb') as f:
        return hashlib.file_digest(f, 'sha256').hexdigest()


def save_published(checkpoint: dict, out_file: str) -> str:
    """Save a checkpoint as ``{out_file without .pth}-{sha256[:8]}.pth``.

    The hash is of the written file's bytes (as mmpretrain's and mmdet's
    ``publish_model.py`` do), so ``sha256sum NAME-XXXXXXXX.pth`` starts with
    ``XXXXXXXX``.

    Args:
        checkpoint (dict): What to save.
        out_file (str): Output path, with or without ``.pth``. Its folder
            must exist.

    Returns:
        str: The path written.
    """
    out_dir = osp.dirname(osp.abspath(out_file))
    if not osp.isdir(out_dir):
        raise FileNotFoundError(f'output folder {out_dir} does not exist')
    stem = out_file[:-len('.pth')] if out_file.endswith('.pth') else out_file
    fd, tmp = tempfile.mkstemp(suffix='.pth', dir=out_dir)
    os.close(fd)
    try:
        torch.save(checkpoint, tmp)
        # mkstemp creates the file 0600: give it the usual umask permissions
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        final = f'{stem}-{sha256sum(tmp)[:8]}.pth'
        shutil.move(tmp, final)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
    return final
