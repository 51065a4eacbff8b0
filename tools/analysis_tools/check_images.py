"""List every image of a set that cannot be decoded.

A truncated or corrupt image passes a dataset's build (only headers are read
there) and stops a training run when the pipeline first loads it. This tool
decodes every image, as ``LoadImageFromFile`` does, and lists the unreadable
ones; it exits with status 1 when there is any.

    # the images of a config's training (and val / test) datasets
    python tools/analysis_tools/check_images.py CONFIG [--data-root DIR]
    # every image file under a folder (e.g. before precomputing saliency)
    python tools/analysis_tools/check_images.py --folder DIR

Then fix or remove the files, or skip them in training with
``LoadImageFromFile(skip_unreadable=True)`` (each skip is counted and
logged).
"""
import argparse
import sys

import mmcv
from mmengine.config import Config
from tqdm import tqdm

from mmfgssl.datasets import list_images
from mmfgssl.utils import add_cfg_options_argument


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='List the images of a set that cannot be decoded')
    parser.add_argument(
        'config', nargs='?', help="a config: its datasets' images")
    parser.add_argument('--folder', help='every image file under a folder')
    parser.add_argument(
        '--data-root', help="the config's train_dataloader.dataset.data_root")
    parser.add_argument(
        '--backend',
        default='cv2',
        choices=['cv2', 'pillow'],
        help='the decoder (LoadImageFromFile imdecode_backend)')
    add_cfg_options_argument(
        parser, help='override config settings, as tools/train.py')
    args = parser.parse_args(argv)
    if bool(args.config) == bool(args.folder):
        parser.error('give a config or --folder (one of them)')
    return args


def decode_problem(path, backend='cv2'):
    """Why ``path`` cannot be decoded, or None when it can.

    Args:
        path (str): The image file.
        backend (str): ``'cv2'`` or ``'pillow'``.

    Returns:
        str | None: The reason.
    """
    try:
        with open(path, 'rb') as f:
            data = f.read()
        img = mmcv.imfrombytes(data, flag='color', backend=backend)
    except Exception as e:  # any decoder error is a finding
        return f'{type(e).__name__}: {e}'
    if img is None or img.size == 0:
        return 'the decoder returned no image'
    return None


def config_images(config, data_root=None, cfg_options=None):
    """Image paths of the config's train / val / test datasets (each once),
    built without their pipelines."""
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if data_root:
        cfg.merge_from_dict({'train_dataloader.dataset.data_root': data_root})
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    paths = []
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if not loader:
            continue
        ds_cfg = loader['dataset'].to_dict()
        ds_cfg['pipeline'] = []
        ds_cfg.pop('_scope_', None)
        dataset = DATASETS.build(ds_cfg)
        paths += [
            dataset.get_data_info(i)['img_path'] for i in range(len(dataset))
        ]
    return list(dict.fromkeys(paths))


def main(argv=None):
    args = parse_args(argv)
    if args.folder:
        paths = list_images(args.folder)
    else:
        import mmfgssl  # noqa: F401  (registers the datasets)
        paths = config_images(args.config, args.data_root, args.cfg_options)
    bad = []
    for path in tqdm(paths, desc='decoding', unit='img', file=sys.stderr):
        problem = decode_problem(path, args.backend)
        if problem:
            bad.append((path, problem))
    print(f'{len(paths)} images checked, {len(bad)} unreadable')
    for path, problem in bad:
        print(f'{path}: {problem}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
