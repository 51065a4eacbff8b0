"""The README's "Your own dataset" section, run as written: its commands
and configs, in a folder holding a copy of configs/ and a class-folder set
made from the synthetic one (with and without a box file)."""
import os
import os.path as osp
import re
import shutil
import sys
import textwrap

from tool_runs import run

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# a short run: the rest of the command is the README's
TINY = [
    '--cfg-options', 'train_dataloader.batch_size=4',
    'train_dataloader.num_workers=0', 'train_cfg.max_epochs=1',
    'default_hooks.checkpoint.interval=1'
]


def readme_block(marker):
    """The fenced block after ``<!-- marker -->`` in README.md, dedented."""
    text = open(osp.join(REPO_ROOT, 'README.md')).read()
    match = re.search(
            r'<!-- ' + re.escape(marker) +
            r' -->\s*\n( *)```\w*\n(.*?)\n\1```', text, re.S)
    assert match, f'README.md has no block after <!-- {marker} -->'
    return textwrap.dedent(match.group(1) + match.group(2)).strip()


def run_readme_command(command, cwd, extra=()):
    """Run a README ``python tools/...`` line from ``cwd`` with this
    checkout's tools."""
    args = command.split()
    assert args[0] == 'python' and args[1].startswith('tools/'), command
    return run(
        [sys.executable,
         osp.join(REPO_ROOT, args[1]), *args[2:], *extra],
        cwd=cwd)


def make_workspace(tiny_synthetic_cub, tmp_path, with_boxes):
    """tmp/configs (a copy of ours) and tmp/data/my_birds in the layout of
    step 1."""
    work = tmp_path / 'workspace'
    shutil.copytree(osp.join(REPO_ROOT, 'configs'), work / 'configs')
    root = work / 'data' / 'my_birds'
    shutil.copytree(osp.join(tiny_synthetic_cub, 'images'), root / 'images')
    if with_boxes:
        paths = dict(
            line.split()
            for line in open(osp.join(tiny_synthetic_cub, 'images.txt')))
        with open(root / 'boxes.csv', 'w') as f:
            f.write('path,x1,y1,x2,y2\n')
            for line in open(
                    osp.join(tiny_synthetic_cub, 'bounding_boxes.txt')):
                i, x, y, w, h = line.split()
                x, y, w, h = map(float, (x, y, w, h))
                f.write(f'{paths[i]},{x},{y},{x + w},{y + h}\n')
    (work / 'configs' / 'my_birds').mkdir()
    return work


def test_own_dataset_with_boxes(tiny_synthetic_cub, tmp_path):
    work = make_workspace(tiny_synthetic_cub, tmp_path, with_boxes=True)
    name = 'cvsa_resnet18_1xb32-coslr-100e_mybirds'
    (work / 'configs' / 'my_birds' /
     f'{name}.py').write_text(readme_block('own-dataset-config-boxes') + '\n')
    log = run_readme_command(readme_block('own-dataset-train'), work, TINY)
    assert 'loss_align' in log
    assert osp.isfile(work / 'work_dirs' / name / 'epoch_1.pth')


def test_own_dataset_with_saliency_maps(tiny_synthetic_cub, tmp_path):
    work = make_workspace(tiny_synthetic_cub, tmp_path, with_boxes=False)
    run_readme_command(readme_block('own-dataset-saliency'), work)
    maps = [
        f for _, _, files in os.walk(work / 'data' / 'my_birds' / 'saliency')
        for f in files if f.endswith('.png')
    ]
    assert len(maps) == 24  # one map per image
    name = 'cvsa_resnet18_1xb32-coslr-100e_mybirds-saliency'
    (work / 'configs' / 'my_birds' / f'{name}.py'
     ).write_text(readme_block('own-dataset-config-saliency') + '\n')
    command = readme_block('own-dataset-train').replace(
        'cvsa_resnet18_1xb32-coslr-100e_mybirds.py', f'{name}.py')
    log = run_readme_command(command, work, TINY)
    assert 'loss_align' in log
    assert osp.isfile(work / 'work_dirs' / name / 'epoch_1.pth')
