"""'train_set' backgrounds: the dataset whose pipeline holds SaliencySwap /
CopyPasteBackground binds itself, so the backgrounds follow its data_root;
unbound sources fail with a message; BindTrainSetHook binds other types."""
import os.path as osp
import shutil
from types import SimpleNamespace

import pytest
from mmengine.logging import MMLogger
from mmengine.registry import DefaultScope
from torch.utils.data import DataLoader

from mmfgssl.datasets import CUBWithBoxes, UnlabeledImageFolder
from mmfgssl.datasets.transforms import CopyPasteBackground, SaliencySwap
from mmfgssl.engine.hooks import BindTrainSetHook


@pytest.fixture(autouse=True)
def mmpretrain_scope():
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        yield


def swap_pipeline():
    view = [
        dict(
            type='SaliencySwap',
            scale=32,
            backgrounds=[dict(dataset='train_set', mode='replace_box')])
    ]
    return [
        dict(type='LoadImageFromFile'),
        dict(type='MultiViewWithMask', num_views=2, transforms=[view]),
        dict(type='PackInputs', algorithm_keys=['saliency_mask'])
    ]


def record_draws(transform):
    """Wrap the transform's background draw to record the drawn paths."""
    drawn = []
    source = transform.background_source
    draw = source.draw

    def recording(fg_path):
        which, info = draw(fg_path)
        drawn.append(info['img_path'])
        return which, info

    source.draw = recording
    return drawn


def the_swap(dataset):
    from mmfgssl.datasets import find_transforms
    (swap, ) = find_transforms(dataset.pipeline,
                               lambda t: isinstance(t, SaliencySwap))
    return swap


def test_backgrounds_follow_the_training_sets_data_root(
        tiny_synthetic_cub, tmp_path):
    moved = str(tmp_path / 'elsewhere')
    shutil.copytree(tiny_synthetic_cub, moved)
    for root in (tiny_synthetic_cub, moved):
        dataset = CUBWithBoxes(
            data_root=root, split='train', pipeline=swap_pipeline())
        swap = the_swap(dataset)
        assert swap.background_source.train_set is dataset
        drawn = record_draws(swap)
        for i in range(4):
            assert len(dataset[i]['inputs']) == 2
        assert len(drawn) == 8
        assert all(p.startswith(osp.join(root, 'images')) for p in drawn)


def test_a_bound_pipeline_runs_in_persistent_workers(tiny_synthetic_cub):
    dataset = CUBWithBoxes(
        data_root=tiny_synthetic_cub, split='train', pipeline=swap_pipeline())
    loader = DataLoader(
        dataset,
        batch_size=2,
        num_workers=1,
        persistent_workers=True,
        collate_fn=lambda batch: batch)
    for _ in range(2):
        batch = next(iter(loader))
        assert len(batch) == 2 and len(batch[0]['inputs']) == 2


def test_unbound_and_unknown_sources_are_errors(tiny_synthetic_cub):
    swap = SaliencySwap(
        scale=32, backgrounds=[dict(dataset='train_set', mode='replace_box')])
    with pytest.raises(RuntimeError, match='BindTrainSetHook'):
        swap.background_source.datasets()
    with pytest.raises(ValueError, match="or 'train_set'"):
        SaliencySwap(scale=32, backgrounds=[dict(dataset='train')])
    paste = CopyPasteBackground(
        background=dict(type='dataset', dataset=['train_set']))
    with pytest.raises(RuntimeError, match='CopyPasteBackground'):
        paste.background_source.datasets()
    with pytest.raises(ValueError, match="'train_set'"):
        CopyPasteBackground(background=dict(type='dataset', dataset='self'))


def test_copy_paste_draws_from_the_bound_set_and_others(tiny_synthetic_cub):
    other = dict(
        type='UnlabeledImageFolder',
        data_root=tiny_synthetic_cub,
        data_prefix='images')
    view = [
        dict(
            type='CopyPasteBackground',
            prob=1.,
            background=dict(type='dataset', dataset=['train_set', other]))
    ]
    dataset = UnlabeledImageFolder(
        data_root=tiny_synthetic_cub,
        data_prefix='images',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='MultiView', num_views=1, transforms=[view]),
        ])
    from mmfgssl.datasets import find_transforms
    (paste, ) = find_transforms(dataset.pipeline,
                                lambda t: isinstance(t, CopyPasteBackground))
    datasets = paste.background_source.datasets()
    assert datasets[0] is dataset
    assert isinstance(datasets[1], UnlabeledImageFolder)
    assert datasets[1] is not dataset


def test_hook_binds_a_dataset_that_does_not_bind_itself(tiny_synthetic_cub):
    from mmpretrain.datasets import CustomDataset
    dataset = CustomDataset(
        data_root=tiny_synthetic_cub,
        data_prefix='images',
        with_label=False,
        pipeline=swap_pipeline())
    swap = the_swap(dataset)
    assert swap.background_source.train_set is None
    runner = SimpleNamespace(
        train_dataloader=SimpleNamespace(dataset=dataset),
        logger=MMLogger.get_instance('bind_test'))
    BindTrainSetHook().before_run(runner)
    assert swap.background_source.train_set is dataset


def test_mask_files_follow_the_training_sets_data_root(tiny_synthetic_cub,
                                                       tmp_path):
    """'{data_root}' in a mask source's folders is the training set's root:
    the masks read for a moved set are its own files."""
    import cv2
    import numpy as np
    moved = str(tmp_path / 'moved')
    shutil.copytree(tiny_synthetic_cub, moved)
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(
            type='LoadSaliencyMask',
            source=dict(
                kind='mask_file',
                root='{data_root}/segmentations',
                img_root='{data_root}/images'))
    ]
    dataset = CUBWithBoxes(data_root=moved, split='train', pipeline=pipeline)
    source = dataset.pipeline.transforms[1].source
    assert source.root == osp.join(moved, 'segmentations')
    sample = dataset[0]
    rel = osp.relpath(sample['img_path'], osp.join(moved, 'images'))
    mask_file = osp.join(moved, 'segmentations', osp.splitext(rel)[0] + '.png')
    expected = cv2.imread(mask_file, cv2.IMREAD_GRAYSCALE) >= 128
    np.testing.assert_array_equal(sample['fg_mask'].astype(bool), expected)

    from mmfgssl.datasets.transforms import LoadSaliencyMask
    unbound = LoadSaliencyMask(source=pipeline[1]['source'])
    with pytest.raises(RuntimeError, match='BindTrainSetHook'):
        unbound(dict(sample, fg_mask=None))
