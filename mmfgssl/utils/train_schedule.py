"""Refuse a training run that would do nothing, or fail mid-epoch, before it
starts.

With a batch larger than the dataset and ``drop_last=True`` an epoch has no
iteration: mmengine then "trains" for 0 iterations and saves the untrained
model (MoCo v2, ContrastiveCrop, GFB configs), or fails building an
iteration-based schedule with ``epoch_length must be a positive integer``
(BYOL configs). MoCo's queue takes the gathered keys of every step and asserts
``queue_len % batch == 0`` only when it first meets a batch that does not
divide it; a short last batch passes that assertion when it divides the
queue but moves the pointer off the batch grid, and a later batch overruns
the queue's end (both mid-epoch).
"""
import math

__all__ = [
    'iterations_per_epoch', 'train_schedule_problems', 'check_train_schedule',
    'num_classes_problems', 'check_num_classes'
]


def iterations_per_epoch(num_samples,
                         batch_size,
                         world_size=1,
                         drop_last=False):
    """Iterations of one epoch of mmengine's ``DefaultSampler`` (each rank
    takes ``ceil(num_samples / world_size)`` samples) batched per rank.

    Args:
        num_samples (int): Samples of the dataset.
        batch_size (int): Batch size per rank.
        world_size (int): Number of ranks.
        drop_last (bool): Whether the short last batch is dropped.

    Returns:
        int: Iterations per epoch.
    """
    per_rank = math.ceil(num_samples / world_size)
    if drop_last:
        return per_rank // batch_size
    return math.ceil(per_rank / batch_size)


def train_schedule_problems(num_samples,
                            batch_size,
                            world_size=1,
                            drop_last=False,
                            queue_len=None):
    """What makes a training run do nothing or fail mid-epoch.

    Args:
        num_samples (int): Samples of the training dataset.
        batch_size (int): ``train_dataloader.batch_size`` (per rank).
        world_size (int): Number of ranks.
        drop_last (bool): ``train_dataloader.drop_last``.
        queue_len (int, optional): ``model.queue_len`` of a MoCo-style
            queue, which every step fills with ``batch_size * world_size``
            keys.

    Returns:
        list[str]: One message per problem, naming the numbers and the config
        keys; empty when the run can train.
    """
    setting = (f'{num_samples} samples, train_dataloader.batch_size='
               f'{batch_size} per process x {world_size} process(es), '
               f'drop_last={drop_last}')
    problems = []
    iters = iterations_per_epoch(num_samples, batch_size, world_size,
                                 drop_last)
    if num_samples == 0:
        problems.append('the training dataset is empty')
    elif iters == 0:
        problems.append(
            f'an epoch has 0 iterations ({setting}): lower '
            'train_dataloader.batch_size, use fewer processes or more data')
    if queue_len is not None and num_samples > 0:
        step = batch_size * world_size
        if queue_len % step:
            problems.append(
                f'model.queue_len={queue_len} is not a multiple of the '
                f'global batch {step} ({setting}): MoCo enqueues the keys '
                'of every step in one piece')
        last = math.ceil(num_samples / world_size) % batch_size
        if not drop_last and last:
            # a short batch moves the queue pointer off the batch grid: a
            # later full batch then overruns the queue's end
            problems.append(
                f'the last batch of an epoch has {last} samples per process '
                f'({setting}) and MoCo\'s queue takes whole batches: set '
                'train_dataloader.drop_last=True')
    return problems


def check_train_schedule(runner):
    """Raise before training when :func:`train_schedule_problems` finds any,
    for the runner's training dataloader (built here, as ``runner.train()``
    would build it) and model.

    Args:
        runner (Runner): A runner built from a training config.

    Raises:
        ValueError: Naming the problems, the numbers and the config keys.
    """
    from mmengine.dist import get_world_size
    from mmengine.model import is_model_wrapper
    loader = runner.train_dataloader
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    problems = train_schedule_problems(
        len(loader.dataset),
        loader.batch_size,
        get_world_size(),
        loader.drop_last,
        queue_len=getattr(model, 'queue_len', None))
    if problems:
        raise ValueError('refusing to train: ' + '; '.join(problems))


def num_classes_problems(model, dataset, key='train_dataloader'):
    """Where a classifier's class count differs from its dataset's.

    Args:
        model (nn.Module): The (unwrapped) model; its ``head.num_classes``
            and ``data_preprocessor.num_classes`` are read when they exist.
        dataset: The dataset; its ``metainfo['classes']`` when it has them.
        key (str): The loader's config key, for the message.

    Returns:
        tuple[list[str], list[str]]: Errors (the dataset has more classes
        than the model: its labels past the head's outputs fail, e.g.
        ``IndexError: Target 11 is out of bounds``) and warnings (fewer:
        the run works, with outputs no sample uses).
    """
    classes = (getattr(dataset, 'metainfo', None) or {}).get('classes')
    if not classes:
        return [], []
    found = len(classes)
    errors, warnings = [], []
    for where, module in (('model.head', getattr(model, 'head', None)),
                          ('data_preprocessor',
                           getattr(model, 'data_preprocessor', None))):
        wanted = getattr(module, 'num_classes', None)
        if isinstance(wanted, int) and wanted != found:
            (errors if found > wanted else warnings).append(
                f'{where}.num_classes={wanted} but the dataset of {key} '
                f'({getattr(dataset, "data_root", "")}) has {found} classes: '
                f'set model.head.num_classes={found} and '
                f'data_preprocessor.num_classes={found}')
    return errors, warnings


def check_num_classes(runner, key='train_dataloader'):
    """Raise when the runner's ``key`` loader has more classes than the
    classifier, warn when it has fewer (:func:`num_classes_problems`; the
    loader is built here, as the runner would build it).

    Raises:
        ValueError: Naming both counts and the keys to set.
    """
    from mmengine.model import is_model_wrapper
    loader = getattr(runner, key)
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    errors, warnings = num_classes_problems(model, loader.dataset, key)
    for warning in warnings:
        runner.logger.warning(warning)
    if errors:
        raise ValueError('; '.join(errors))
