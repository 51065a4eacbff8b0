"""Read a pickle that may only hold plain data.

``tools/test.py --out FILE.pkl`` (mmengine's ``dump``) writes the test
metrics as a pickle of a ``dict`` of numbers and strings. Unpickling such a
file from a shared work dir with :func:`pickle.load` would run whatever code
a crafted file names; :func:`load_plain_pickle` refuses every global (class,
function) instead, so only ``dict`` / ``list`` / ``tuple`` / ``set`` / ``str``
/ ``bytes`` / ``int`` / ``float`` / ``bool`` / ``None`` values load, which is
all that a metrics dump holds (pickle protocol 4 or newer, Python's default
since 3.8; older protocols name ``set`` and ``bytes`` as globals).
"""
import io
import pickle

__all__ = ['PlainUnpickler', 'load_plain_pickle']


class PlainUnpickler(pickle.Unpickler):
    """An unpickler that refuses every global (so every class and callable).
    """

    def find_class(self, module, name):
        raise pickle.UnpicklingError(
            f'refused {module}.{name}: only plain data (dict, list, str, '
            'numbers) may be read from this pickle')


def load_plain_pickle(path):
    """Load a pickle of plain data.

    Args:
        path (str): The file.

    Returns:
        The unpickled object.

    Raises:
        pickle.UnpicklingError: When the file names any class or function,
            with the file's name in the message.
    """
    with open(path, 'rb') as f:
        data = f.read()
    try:
        return PlainUnpickler(io.BytesIO(data)).load()
    except pickle.UnpicklingError as e:
        raise pickle.UnpicklingError(f'{path}: {e}') from None
