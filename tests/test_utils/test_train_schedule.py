import pytest
import torch
from mmengine.dataset import DefaultSampler

from mmfgssl.utils import iterations_per_epoch, train_schedule_problems


def batches_of_a_real_epoch(num_samples, batch_size, world_size, drop_last,
                            monkeypatch):
    """Batches that rank 0's DataLoader yields over mmengine's DefaultSampler
    in a world of ``world_size`` ranks (each rank gets the same count)."""
    import mmengine.dataset.sampler as sampler_module
    monkeypatch.setattr(sampler_module, 'get_dist_info', lambda:
                        (0, world_size))
    sampler = DefaultSampler(list(range(num_samples)), shuffle=True, seed=0)
    loader = torch.utils.data.DataLoader(
        list(range(num_samples)),
        batch_size=batch_size,
        sampler=sampler,
        drop_last=drop_last)
    return sum(1 for _ in loader)


@pytest.mark.parametrize('num_samples', [1, 7, 16, 33, 100])
@pytest.mark.parametrize('batch_size', [1, 4, 32])
@pytest.mark.parametrize('world_size', [1, 3, 8])
@pytest.mark.parametrize('drop_last', [False, True])
def test_iterations_match_a_real_dataloader(num_samples, batch_size,
                                            world_size, drop_last,
                                            monkeypatch):
    assert iterations_per_epoch(num_samples, batch_size, world_size,
                                drop_last) == batches_of_a_real_epoch(
                                    num_samples, batch_size, world_size,
                                    drop_last, monkeypatch)


def test_an_epoch_without_iterations_is_named():
    problems = train_schedule_problems(16, 32, 1, drop_last=True)
    assert problems == [
        'an epoch has 0 iterations (16 samples, train_dataloader.batch_size='
        '32 per process x 1 process(es), drop_last=True): lower '
        'train_dataloader.batch_size, use fewer processes or more data'
    ]
    # 16 samples over 8 ranks, batch 4 each: 2 samples per rank
    assert len(train_schedule_problems(16, 4, 8, drop_last=True)) == 1
    assert train_schedule_problems(16, 4, 8, drop_last=False) == []
    assert train_schedule_problems(0, 4) == ['the training dataset is empty']


def test_moco_queue_and_short_last_batch():
    assert train_schedule_problems(64, 8, 2, True, queue_len=64) == []
    problems = train_schedule_problems(64, 8, 2, True, queue_len=40)
    assert len(problems) == 1
    assert 'model.queue_len=40 is not a multiple of the global batch 16' in (
        problems[0])
    # 70 samples over 2 ranks: 35 each, batches of 8 leave 3
    problems = train_schedule_problems(70, 8, 2, False, queue_len=64)
    assert len(problems) == 1
    assert 'the last batch of an epoch has 3 samples per process' in (
        problems[0])
    assert 'train_dataloader.drop_last=True' in problems[0]
    assert train_schedule_problems(70, 8, 2, True, queue_len=64) == []
    # no queue: a short last batch is fine
    assert train_schedule_problems(70, 8, 2, False) == []


class _Head:

    def __init__(self, num_classes):
        self.num_classes = num_classes


class _Model:

    def __init__(self, head, preprocessor):
        self.head = _Head(head)
        self.data_preprocessor = _Head(preprocessor)


class _Dataset:
    data_root = '/set'

    def __init__(self, num_classes):
        self.metainfo = dict(
            classes=tuple(f'c{i}' for i in range(num_classes)))


def test_more_classes_than_the_head_is_an_error_fewer_a_warning():
    from mmfgssl.utils import num_classes_problems
    errors, warnings = num_classes_problems(
        _Model(10, 10), _Dataset(12), 'test_dataloader')
    assert warnings == []
    assert errors[0] == (
        'model.head.num_classes=10 but the dataset of test_dataloader (/set) '
        'has 12 classes: set model.head.num_classes=12 and '
        'data_preprocessor.num_classes=12')
    assert errors[1].startswith('data_preprocessor.num_classes=10')
    errors, warnings = num_classes_problems(_Model(10, 10), _Dataset(4))
    assert errors == [] and len(warnings) == 2
    assert num_classes_problems(_Model(4, 4), _Dataset(4)) == ([], [])
    # a self-supervised model: no class count to compare
    assert num_classes_problems(object(), _Dataset(4)) == ([], [])
