"""Finding the image files under a folder: the one extension list and walk
that the datasets and the tools share."""
import os
import os.path as osp
from typing import List, Sequence

__all__ = ['IMG_EXTENSIONS', 'list_images']

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif',
                  '.tiff', '.webp')


def list_images(folder: str,
                extensions: Sequence[str] = IMG_EXTENSIONS,
                relative: bool = False) -> List[str]:
    """The image files under ``folder``, searched recursively (following
    symbolic links, as mmpretrain's ``CustomDataset``), extensions matched
    case-insensitively, sorted.

    Args:
        folder (str): The folder to search.
        extensions (Sequence[str]): The file extensions, lower case with the
            dot. Defaults to :data:`IMG_EXTENSIONS`.
        relative (bool): Return the paths relative to ``folder`` instead of
            joined to it. Defaults to False.

    Returns:
        list[str]: The paths; empty when the folder has no image.

    Raises:
        FileNotFoundError: ``folder`` is not a directory.
    """
    if not osp.isdir(folder):
        raise FileNotFoundError(f'The image folder {folder} does not exist')
    extensions = tuple(e.lower() for e in extensions)
    paths = sorted(
        osp.join(dirpath, name)
        for dirpath, _, names in os.walk(folder, followlinks=True)
        for name in names if name.lower().endswith(extensions))
    if relative:
        paths = [osp.relpath(p, folder) for p in paths]
    return paths
