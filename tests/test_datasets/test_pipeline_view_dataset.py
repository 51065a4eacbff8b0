"""PipelineViewDataset: a dataset's samples through another pipeline."""
import numpy as np
import pytest
from mmengine.registry import DefaultScope

from mmfgssl.datasets import CUBWithBoxes, PipelineViewDataset


def test_view_runs_its_own_pipeline_on_the_same_samples(tiny_synthetic_cub):
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        dataset = CUBWithBoxes(
            data_root=tiny_synthetic_cub,
            split='train',
            pipeline=[dict(type='LoadImageFromFile')])
        view = PipelineViewDataset(dataset, [
            dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=(16, 24)),
        ])
    assert len(view) == len(dataset) == 16
    for idx in (0, 7, 15):
        full, small = dataset[idx], view[idx]
        assert small['sample_idx'] == idx
        assert small['img_path'] == full['img_path']
        assert small['img'].shape == (24, 16, 3)
        assert full['img'].shape[:2] == (64, 64)
        # the same annotation, through the view's Resize (64 -> 16 x 24)
        np.testing.assert_allclose(
            small['gt_bboxes'], full['gt_bboxes'] * [0.25, 0.375, 0.25, 0.375])


def test_view_needs_get_data_info():
    with pytest.raises(TypeError, match='get_data_info'):
        PipelineViewDataset([1, 2, 3], [])
