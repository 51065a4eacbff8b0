"""Compare the ContrastiveCrop boxes of a checkpoint with ground-truth boxes.

Reads the box table that ``ContrastiveCropHook`` saves in checkpoints
(``checkpoint['contrastive_crop']['boxes']``, normalised, in dataset order)
and the training split of the config's dataset (which must carry
``gt_bboxes``, e.g. ``CUBWithBoxes``), and prints the mean box area, the
fraction of whole-image boxes and the mean IoU with the ground-truth boxes,
next to the IoU of the whole image with them.

Example:
    python tools/analysis_tools/ccrop_box_iou.py \
        configs/contrastive_crop/CONFIG.py work_dirs/ccrop/epoch_100.pth \
        --data-root data/synthetic_cub
"""
import argparse

import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpretrain.registry import DATASETS
from PIL import Image


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--data-root', help='override the dataset root')
    args = parser.parse_args()

    cfg = Config.fromfile(args.config)
    import mmfgssl  # noqa: F401  (registers, allow-lists checkpoints)
    from mmfgssl.models.utils import paired_box_iou
    state = torch.load(args.checkpoint, map_location='cpu')
    if 'contrastive_crop' not in state:
        raise KeyError(f'{args.checkpoint} holds no "contrastive_crop" box '
                       'table (was it trained with ContrastiveCropHook?)')
    boxes = state['contrastive_crop']['boxes'].float()  # N x 4

    ds_cfg = cfg.train_dataloader.dataset.copy()
    ds_cfg.pipeline = []
    if args.data_root:
        ds_cfg.data_root = args.data_root
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        dataset = DATASETS.build(ds_cfg)
    if len(dataset) != len(boxes):
        raise ValueError(f'{args.checkpoint}: {len(boxes)} boxes for a '
                         f'dataset of {len(dataset)} samples')
    gts = []
    for idx in range(len(dataset)):
        info = dataset.get_data_info(idx)
        with Image.open(info['img_path']) as img:
            w, h = img.size
        gts.append(
            torch.as_tensor(info['gt_bboxes'][0]) / torch.tensor([w, h, w, h]))
    gts = torch.stack(gts).float()  # N x 4
    whole = torch.tensor([[0., 0., 1., 1.]]).expand_as(boxes)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    is_whole = ((boxes[:, :2] <= 0).all(1) & (boxes[:, 2:] >= 1).all(1))
    print(f'{len(boxes)} boxes: mean area {area.mean():.3f}, whole-image '
          f'{is_whole.float().mean():.1%}, mean IoU with the ground truth '
          f'{paired_box_iou(boxes, gts).mean():.3f} (whole image: '
          f'{paired_box_iou(whole, gts).mean():.3f})')


if __name__ == '__main__':
    main()
