"""Pre-training needs neither mmdet nor mmcv's compiled ops: the default
set-up (``tools/setup_env.sh`` without ``--detection``) installs mmcv-lite
and no mmdet. With them made unimportable, ``import mmfgssl`` and a
pre-training run still work, and the detection entry points stop with a
message that names the command installing them.

The runs go through a launcher that puts a meta-path finder in front of every
other one, raising ``ModuleNotFoundError`` for ``mmdet`` and ``mmdet.*`` as an
interpreter without mmdet would (with ``HIDE_OPS=1`` also ``mmcv._ext``, the
compiled library that mmcv-lite lacks and ``mmcv.ops`` loads, is made
unimportable through a ``None`` in ``sys.modules``), then runs the given
script as ``__main__``. So an unguarded ``import mmdet`` or use of
``mmcv.ops`` anywhere on mmfgssl's import path, or in what pre-training
imports, fails these tests; a guarded ``try: import mmdet except
ImportError`` passes.
"""
import os.path as osp
import sys

import pytest
from tool_runs import REPO_ROOT, call, run, scalars, tiny_options

BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'

LAUNCHER = '''
import importlib.abc
import os
import runpy
import sys

HIDDEN = ['mmdet']
if os.environ.get('HIDE_OPS'):
    # as where the file is absent: `import mmcv._ext` raises
    # ModuleNotFoundError and importlib.util.find_spec() finds nothing
    sys.modules['mmcv._ext'] = None


class HideMMDet(importlib.abc.MetaPathFinder):

    def find_spec(self, name, path=None, target=None):
        if any(name == h or name.startswith(h + '.') for h in HIDDEN):
            raise ModuleNotFoundError(
                f'No module named {name!r} (hidden by the test)', name=name)
        return None


already = [m for m in sys.modules if m == 'mmdet' or m.startswith('mmdet.')]
assert not already, f'mmdet imported before the launcher: {already}'
sys.meta_path.insert(0, HideMMDet())
script, sys.argv = sys.argv[1], sys.argv[1:]
runpy.run_path(script, run_name='__main__')
leaked = [m for m in sys.modules if m == 'mmdet' or m.startswith('mmdet.')]
assert not leaked, f'mmdet modules were imported: {leaked}'
print('finished without mmdet')
'''

CHECK_IMPORTS = '''
import importlib
import sys

try:
    import mmdet  # noqa: F401
except ModuleNotFoundError as e:
    print('import mmdet:', e)
else:
    raise SystemExit('mmdet is not hidden')
import mmfgssl
print('imported', mmfgssl.__name__, mmfgssl.__version__, 'from',
      mmfgssl.__file__)
'''


@pytest.fixture
def launcher(tmp_path):
    path = tmp_path / 'hide_mmdet.py'
    path.write_text(LAUNCHER)
    return str(path)


def run_hidden(launcher, script, *args, hide_ops=False):
    """Run ``script`` under the launcher from the repository root (with
    ``hide_ops``, mmcv's compiled ops hidden too); returns (returncode,
    stdout + stderr). A new interpreter: the launcher checks that nothing
    imported mmdet before it."""
    returncode, out, err = call([sys.executable, launcher, script, *args],
                                new_process=True,
                                HIDE_OPS='1' if hide_ops else '')
    return returncode, out + err


def test_import_mmfgssl_without_mmdet(launcher, tmp_path):
    check = tmp_path / 'check_imports.py'
    check.write_text(CHECK_IMPORTS)
    rc, log = run_hidden(launcher, str(check))
    assert rc == 0, log[-5000:]
    assert "import mmdet: No module named 'mmdet' (hidden by the test)" in log
    assert f'from {osp.join(REPO_ROOT, "mmfgssl", "__init__.py")}' in log
    assert 'finished without mmdet' in log


def test_hiding_catches_an_unguarded_mmdet_import(launcher, tmp_path):
    # negative control: a package that imports mmdet unguarded, as mmfgssl
    # must not, fails under the launcher...
    pkg = tmp_path / 'needs_mmdet'
    pkg.mkdir()
    (pkg / '__init__.py').write_text('from mmdet.registry import MODELS\n')
    script = tmp_path / 'use_it.py'
    script.write_text(f'import sys\nsys.path.insert(0, {str(tmp_path)!r})\n'
                      'import needs_mmdet\n')
    rc, log = run_hidden(launcher, str(script))
    assert rc != 0
    assert ("ModuleNotFoundError: No module named 'mmdet' (hidden by the "
            'test)') in log
    # ... and the same guarded import passes
    (pkg / '__init__.py').write_text(
        'try:\n    import mmdet\nexcept ImportError:\n    mmdet = None\n')
    rc, log = run_hidden(launcher, str(script))
    assert rc == 0, log[-5000:]


def test_pretraining_without_mmdet_and_mmcv_ops(launcher, tiny_synthetic_cub,
                                                tmp_path, monkeypatch):
    monkeypatch.setenv('HIDE_OPS', '1')
    work_dir = str(tmp_path / 'work')
    # 1 epoch of 16 images, batch 4: 4 iterations
    log = run([
        sys.executable, launcher, 'tools/train.py', BYOL, '--work-dir',
        work_dir, *tiny_options(tiny_synthetic_cub, 1)
    ],
              new_process=True)
    assert 'finished without mmdet' in log
    rows = scalars(work_dir)
    assert [r['iter'] for r in rows] == [1, 2, 3, 4]
    assert osp.exists(osp.join(work_dir, 'epoch_1.pth'))


@pytest.mark.parametrize('hide_ops', [False, True])
def test_hidden_ops_really_fail_to_import(launcher, tmp_path, hide_ops):
    # control for the run above: mmcv.ops does not import under HIDE_OPS
    # (as with mmcv-lite), and does without it where the ops are built
    script = tmp_path / 'ops.py'
    script.write_text('import mmcv.ops\nprint("ops imported")\n')
    rc, log = run_hidden(launcher, str(script), hide_ops=hide_ops)
    if hide_ops:
        assert rc != 0
        assert ("ModuleNotFoundError: import of mmcv._ext halted; None in "
                'sys.modules') in log
    else:
        from mmfgssl.utils import detection_stack_problems
        expected = not detection_stack_problems()
        assert (rc == 0) == expected, log[-3000:]
        assert ('ops imported' in log) == expected


DETECTION_CONFIG = ('configs/benchmarks/mmdetection/voc0712/'
                    'faster-rcnn_r50-c4_ms-24k_voc0712.py')


@pytest.mark.parametrize('hide_ops', [False, True])
@pytest.mark.parametrize('script', [
    'tools/benchmarks/mmdetection/train.py', 'tools/train.py', 'tools/test.py'
])
def test_detection_tools_name_the_setup_command(launcher, tmp_path, script,
                                                hide_ops):
    ckpt = tmp_path / 'missing.pth'
    args = [DETECTION_CONFIG]
    if script != 'tools/train.py':
        args.append(str(ckpt))
    rc, log = run_hidden(launcher, script, *args, hide_ops=hide_ops)
    assert rc != 0
    assert 'needs mmdet and mmcv compiled with its ops' in log, log[-3000:]
    assert 'mmdet does not import' in log
    assert ("mmcv's compiled ops do not import" in log) == hide_ops
    assert 'Install them with `bash tools/setup_env.sh --detection`' in log
