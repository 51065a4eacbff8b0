"""Logging of a documented fallback that a transform or source counts."""
from mmengine.logging import MMLogger


def warn_on_doubling(count: int, message: str) -> None:
    """Warn with ``message`` when ``count`` reaches 1, 2, 4, 8, ...

    A fallback taken for many samples is so reported a logarithmic number of
    times, with its running count, instead of once per sample or only once.

    Args:
        count (int): How many times the fallback was taken so far, this time
            included.
        message (str): The warning, which should name the count and the
            latest sample.
    """
    if count > 0 and count & (count - 1) == 0:
        MMLogger.get_current_instance().warning(message)
