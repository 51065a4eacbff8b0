"""kNN classification and retrieval of frozen backbone features.

Extracts globally pooled last-stage features of a config's backbone for the
train and test splits of its dataset, then reports weighted kNN top-1 (test
images against the train split) and leave-one-out retrieval rank-1 / rank-5
(on the test split), for the checkpoint and, with ``--compare-random-init``,
for the same backbone at random initialisation.

Example:
    python tools/analysis_tools/knn_eval.py \
        configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py \
        work_dirs/byol_resnet18_1xb32-coslr-100e_synthcub/epoch_100.pth \
        --compare-random-init
"""
import argparse
import json

from mmengine.config import Config

from mmfgssl.evaluation import (build_eval_loader, build_eval_preprocessor,
                                build_frozen_backbone, extract_features,
                                knn_and_retrieval)
from mmfgssl.utils import add_cfg_options_argument


def parse_args():
    parser = argparse.ArgumentParser(
        description='kNN top-1 and retrieval rank-k of frozen features')
    parser.add_argument('config', help='the pre-training config')
    parser.add_argument(
        'checkpoint', nargs='?', help='checkpoint (none: random init only)')
    parser.add_argument(
        '--compare-random-init',
        action='store_true',
        help='also evaluate the randomly initialised backbone')
    parser.add_argument('--data-root', help='override the dataset root')
    parser.add_argument(
        '--train-split',
        help="gallery split for kNN (default: the config's split)")
    parser.add_argument('--test-split', default='test', help='query split')
    parser.add_argument(
        '--img-size',
        type=int,
        help='centre-crop size (default: the crop size of the config)')
    parser.add_argument('--k', type=int, default=20, help='kNN neighbours')
    parser.add_argument(
        '--temperature', type=float, default=0.07, help='kNN temperature')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--num-workers', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0, help='random init')
    parser.add_argument('--out', help='write the results to this json file')
    add_cfg_options_argument(parser)
    return parser.parse_args()


def train_crop_size(cfg):
    """The output size of the first cropping transform of the train
    pipeline."""
    pending = list(cfg.train_dataloader.dataset.pipeline)
    while pending:
        t = pending.pop(0)
        if isinstance(t, list):
            pending = t + pending
        elif t.get('type') in ('RandomResizedCrop', 'ContrastiveCrop',
                               'SaliencySwap'):
            scale = t['scale']
            return scale if isinstance(scale, int) else scale[0]
        elif 'transforms' in t:
            pending = list(t['transforms']) + pending
    return 224


def build_loader(cfg, split, img_size, args):
    return build_eval_loader(cfg.train_dataloader.dataset, split, img_size,
                             args.batch_size, args.num_workers, args.data_root)


def evaluate(backbone, preprocessor, loaders, num_classes, args):
    backbone.eval()

    def pooled(x):
        return backbone(x)[-1].mean(dim=(2, 3))  # B x C x H x W -> B x C

    feats = [
        extract_features(pooled, preprocessor, loader, split)
        for loader, split in zip(loaders, ('train', 'test'))
    ]
    return knn_and_retrieval(
        *feats, num_classes, k=args.k, temperature=args.temperature)


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if not args.checkpoint and not args.compare_random_init:
        raise SystemExit('give a checkpoint and/or --compare-random-init')
    img_size = args.img_size or train_crop_size(cfg)
    train_split = args.train_split or cfg.train_dataloader.dataset.get(
        'split', 'train')
    loaders = [
        build_loader(cfg, train_split, img_size, args),
        build_loader(cfg, args.test_split, img_size, args)
    ]
    num_classes = len(loaders[0].dataset.metainfo['classes'])
    preprocessor = build_eval_preprocessor(cfg)

    rows = {}
    if args.compare_random_init:
        rows['random init'] = evaluate(
            build_frozen_backbone(cfg.model.backbone, None, args.seed),
            preprocessor, loaders, num_classes, args)
    if args.checkpoint:
        rows[args.checkpoint] = evaluate(
            build_frozen_backbone(cfg.model.backbone, args.checkpoint,
                                  args.seed), preprocessor, loaders,
            num_classes, args)

    print(f'\nkNN (k={args.k}, T={args.temperature}) of "{train_split}" -> '
          f'"{args.test_split}"; retrieval leave-one-out on '
          f'"{args.test_split}" ({len(loaders[1].dataset)} images, '
          f'{num_classes} classes, {img_size} px)')
    print('| backbone | kNN top-1 (%) | rank-1 (%) | rank-5 (%) |')
    print('|---|---|---|---|')
    for name, r in rows.items():
        print(f"| {name} | {r['knn_top1']:.2f} | {r['rank1']:.2f} "
              f"| {r['rank5']:.2f} |")
    print(f'(chance: kNN top-1 {100 / num_classes:.2f} % with balanced '
          'classes; higher is better)')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(rows, f, indent=2)


if __name__ == '__main__':
    main()
