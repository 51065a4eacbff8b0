# Copyright (c) OpenMMLab. All rights reserved.
from .box_dataset_mixin import BoxDatasetMixin
from .box_table import BoxTable
from .box_utils import (inclusive_to_xyxy, normalized_gt_boxes,
                        oriented_image_size, sanitize_box, xywh_to_xyxy)
from .class_balanced_subset import ClassBalancedSubset
from .coco_images import COCOImages
from .cub_with_boxes import CUBWithBoxes
from .fgvc_aircraft_with_boxes import FGVCAircraftWithBoxes
from .fine_grained_image_folder import FineGrainedImageFolder
from .image_files import IMG_EXTENSIONS, list_images
from .nabirds import NABirds
from .pipeline_view_dataset import PipelineViewDataset
from .saliency import SaliencyBoxSource, SaliencyMaskSource
from .seeded_fetch import SeededSamples, SkipFirst, sample_seed
from .stanford_cars_with_boxes import StanfordCarsWithBoxes
from .stl10 import STL10
from .subset_utils import class_balanced_indices
from .tiny_imagenet import TinyImageNet
from .train_set_source import (TRAIN_SET, BindTrainSetMixin, bind_train_set,
                               find_transforms, pipeline_dataset)
from .transforms import (ColorJitter, ContrastiveCrop, CopyPasteBackground,
                         LoadSaliencyMask, MultiViewWithMask, SaliencySwap)
from .unlabeled_image_folder import UnlabeledImageFolder

__all__ = [
    'BoxDatasetMixin', 'BoxTable', 'ClassBalancedSubset', 'COCOImages',
    'ColorJitter', 'ContrastiveCrop', 'CopyPasteBackground', 'CUBWithBoxes',
    'FGVCAircraftWithBoxes', 'FineGrainedImageFolder', 'LoadSaliencyMask',
    'MultiViewWithMask', 'NABirds', 'PipelineViewDataset', 'SaliencyBoxSource',
    'SaliencyMaskSource', 'SaliencySwap', 'StanfordCarsWithBoxes', 'STL10',
    'TinyImageNet', 'TRAIN_SET', 'BindTrainSetMixin', 'bind_train_set',
    'find_transforms', 'pipeline_dataset', 'UnlabeledImageFolder',
    'class_balanced_indices', 'inclusive_to_xyxy', 'sanitize_box',
    'oriented_image_size', 'xywh_to_xyxy', 'normalized_gt_boxes',
    'SeededSamples', 'SkipFirst', 'sample_seed', 'IMG_EXTENSIONS',
    'list_images'
]
