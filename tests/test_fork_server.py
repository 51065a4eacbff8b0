"""The fork server runs ``python SCRIPT ARGS`` as a new interpreter does."""
import json
import os
import signal
import subprocess
import sys

import fork_server
import pytest

PROBE = '''
import sys

preloaded = 'mmpretrain' in sys.modules  # the one thing a child differs in

import json
import os
import random

import numpy as np
import torch

if len(sys.argv) > 1 and sys.argv[1] == 'exit':
    sys.exit(int(sys.argv[2]))
if len(sys.argv) > 1 and sys.argv[1] == 'message':
    sys.exit('a message')
if len(sys.argv) > 1 and sys.argv[1] == 'raise':
    raise KeyError('from the probe')
if len(sys.argv) > 1 and sys.argv[1] == 'kill':
    os.kill(os.getpid(), 9)
if len(sys.argv) > 1 and sys.argv[1] == 'sleep':
    import time
    time.sleep(60)
print('to stderr', file=sys.stderr)
print(json.dumps(dict(
    argv=sys.argv, file=__file__, path0=sys.path[0], cwd=os.getcwd(),
    name=__name__, env=os.environ.get('KILL_AT_ITER'),
    random=random.random(), numpy=float(np.random.rand()),
    torch_seed=torch.initial_seed(), torch=float(torch.rand(1)),
    hash=hash('mmfgssl'), preloaded=preloaded)))
'''


@pytest.fixture
def probe(tmp_path):
    folder = tmp_path / 'scripts'
    folder.mkdir()
    path = folder / 'probe.py'
    path.write_text(PROBE)
    return str(path)


def env(**extra):
    return dict(os.environ, OMP_NUM_THREADS='1', **extra)


def plain(cmd, cwd, environ):
    return subprocess.run(
        cmd, cwd=cwd, env=environ, capture_output=True, text=True, timeout=60)


def test_a_child_sees_what_a_new_interpreter_sees(probe, tmp_path):
    cmd = [sys.executable, probe, 'a', '--b']
    environ = env(KILL_AT_ITER='3')
    assert fork_server.forkable(cmd, environ)
    served = fork_server.run(cmd, str(tmp_path), environ, 60)
    fresh = plain(cmd, str(tmp_path), environ)
    assert served.returncode == fresh.returncode == 0, served.stderr
    assert served.stderr == fresh.stderr == 'to stderr\n'
    got, want = json.loads(served.stdout), json.loads(fresh.stdout)
    for key in ('argv', 'file', 'path0', 'cwd', 'name', 'env'):
        assert got[key] == want[key], key
    assert got['path0'] == str(tmp_path / 'scripts')
    assert got['preloaded'] and not want['preloaded']
    # new_process: a new interpreter, for programs that inspect their start
    fresh = fork_server.run(cmd, str(tmp_path), environ, 60, new_process=True)
    assert not json.loads(fresh.stdout)['preloaded']


def test_path_arguments_and_working_directory(probe, tmp_path):
    # as subprocess.run takes them: path-like parts and cwd
    import pathlib
    served = fork_server.run(
        [sys.executable, pathlib.Path(probe), 'x'], tmp_path, env(), 60)
    assert served.returncode == 0, served.stderr
    got = json.loads(served.stdout)
    assert got['cwd'] == str(tmp_path) and got['argv'][1:] == ['x']


def test_consecutive_children_differ_in_random_state_and_hash_seed(probe):
    runs = [
        json.loads(
            fork_server.run([sys.executable, probe], os.getcwd(), env(),
                            60).stdout) for _ in range(fork_server.POOL_SIZE)
    ]
    for key in ('random', 'numpy', 'torch_seed', 'torch', 'hash'):
        assert len({r[key] for r in runs}) == len(runs), key


@pytest.mark.parametrize('args, code', [(['exit', '3'], 3), (['exit', '0'], 0),
                                        (['message'], 1), (['raise'], 1),
                                        (['kill'], -signal.SIGKILL)])
def test_exit_status_as_subprocess_reports_it(probe, args, code):
    cmd = [sys.executable, probe, *args]
    served = fork_server.run(cmd, os.getcwd(), env(), 60)
    fresh = plain(cmd, os.getcwd(), env())
    assert served.returncode == fresh.returncode == code
    if args == ['raise']:
        assert "KeyError: 'from the probe'" in served.stderr
    if args == ['message']:
        assert served.stderr == fresh.stderr == 'a message\n'


def test_timeout_raises_and_kills(probe):
    with pytest.raises(subprocess.TimeoutExpired):
        fork_server.run([sys.executable, probe, 'sleep'], os.getcwd(), env(),
                        2)
    # the server goes on serving
    ok = fork_server.run([sys.executable, probe, 'exit', '0'], os.getcwd(),
                         env(), 60)
    assert ok.returncode == 0


def test_commands_a_server_cannot_stand_for_run_as_processes(
        probe, monkeypatch):
    assert not fork_server.forkable([sys.executable, '-c', 'pass'], env())
    assert not fork_server.forkable(['bash', 'tools/dist_train.sh'], env())
    # read at start-up: a new interpreter is needed
    for name in ('PYTHONPATH', 'OMP_NUM_THREADS', 'CUDA_VISIBLE_DEVICES'):
        assert not fork_server.forkable([sys.executable, probe],
                                        dict(env(), **{name: '7'}))
    # compared with the environment the servers started with, not today's
    fork_server.run([sys.executable, probe, 'exit', '0'], os.getcwd(), env(),
                    60)
    monkeypatch.setenv('MMFGSSL_SET_AFTER_THE_SERVERS', '1')
    assert not fork_server.forkable([sys.executable, probe], env())
    monkeypatch.delenv('MMFGSSL_SET_AFTER_THE_SERVERS')
    # ... but pytest's per-test variable does not count
    monkeypatch.setenv('PYTEST_CURRENT_TEST', 'another test (call)')
    assert fork_server.forkable([sys.executable, probe], env())
    out = fork_server.run([sys.executable, '-c', 'print(6 * 7)'], os.getcwd(),
                          env(), 60)
    assert out.stdout == '42\n'


def test_what_the_stack_sets_on_import_keeps_the_servers(probe, monkeypatch):
    # cv2 puts its libraries on LD_LIBRARY_PATH when imported, in the
    # servers at start-up and in the test process whenever a test imports
    # it (after the servers started, in the whole suite): commands are
    # still served; another value is not
    fork_server.run([sys.executable, probe, 'exit', '0'], os.getcwd(), env(),
                    60)
    imported = fork_server._pool[0].imported_env
    assert 'cv2' in imported['LD_LIBRARY_PATH']
    monkeypatch.setenv('LD_LIBRARY_PATH', imported['LD_LIBRARY_PATH'])
    assert fork_server.forkable([sys.executable, probe], env())
    monkeypatch.setenv('LD_LIBRARY_PATH', '/elsewhere')
    assert not fork_server.forkable([sys.executable, probe], env())


NESTED = '''
import json
import subprocess
import sys

probe, args = sys.argv[1], sys.argv[2:]
proc = subprocess.run([sys.executable, probe, *args], capture_output=True,
                      text=True)
print(json.dumps(dict(code=proc.returncode, out=proc.stdout,
                      err=proc.stderr)))
'''


@pytest.fixture
def nested(tmp_path):
    path = tmp_path / 'nested.py'
    path.write_text(NESTED)
    return str(path)


@pytest.mark.parametrize('args, code', [([], 0), (['exit', '3'], 3),
                                        (['raise'], 1),
                                        (['kill'], -signal.SIGKILL)])
def test_nested_commands_are_forked_too(probe, nested, tmp_path, args, code):
    # the child's own `python SCRIPT` command comes from a copy of the
    # child (preloaded), with its output, exit status and random state
    cmd = [sys.executable, nested, probe, *args]
    served = fork_server.run(cmd, str(tmp_path), env(), 60)
    fresh = plain(cmd, str(tmp_path), env())
    assert served.returncode == fresh.returncode == 0, served.stderr
    got, want = json.loads(served.stdout), json.loads(fresh.stdout)
    assert got['code'] == want['code'] == code
    if args == ['raise']:
        assert "KeyError: 'from the probe'" in got['err']
    if not args:
        assert got['err'] == want['err'] == 'to stderr\n'
        inner, inner_fresh = json.loads(got['out']), json.loads(want['out'])
        for key in ('argv', 'file', 'path0', 'cwd', 'name'):
            assert inner[key] == inner_fresh[key], key
        assert inner['preloaded'] and not inner_fresh['preloaded']
        first = json.loads(
            fork_server.run(cmd, str(tmp_path), env(), 60).stdout)
        assert json.loads(first['out'])['random'] != inner['random']


def test_a_nested_command_a_copy_cannot_stand_for_runs_as_a_process(
        probe, nested, tmp_path):
    # -c and an environment read at start-up: the real interpreter
    served = fork_server.run([sys.executable, nested, '-c', 'print(6 * 7)'],
                             str(tmp_path), env(), 60)
    assert json.loads(served.stdout)['out'] == '42\n'
    script = tmp_path / 'env_nested.py'
    script.write_text(
        NESTED.replace(
            'capture_output=True', "env=dict(__import__('os').environ, "
            "OMP_NUM_THREADS='2'), capture_output=True"))
    served = fork_server.run(
        [sys.executable, str(script), probe], str(tmp_path), env(), 60)
    inner = json.loads(json.loads(served.stdout)['out'])
    assert not inner['preloaded']


def test_a_nested_command_dies_with_its_shim(tmp_path):
    # the tool's timeout kills the shim; the copy then kills the command
    inner = tmp_path / 'inner.py'
    inner.write_text('import os, sys, time\n'
                     "open(sys.argv[1], 'w').write(str(os.getpid()))\n"
                     'time.sleep(60)\n')
    outer = tmp_path / 'outer.py'
    pid_file = tmp_path / 'pid'
    outer.write_text('import subprocess, sys\n'
                     'try:\n'
                     f'    subprocess.run([sys.executable, {str(inner)!r}, '
                     f'{str(pid_file)!r}], timeout=3)\n'
                     'except subprocess.TimeoutExpired:\n'
                     "    print('timed out')\n")
    served = fork_server.run([sys.executable, str(outer)], str(tmp_path),
                             env(), 60)
    assert served.stdout == 'timed out\n', served.stderr
    pid = int(pid_file.read_text())
    import time
    for _ in range(100):  # the copy polls every 20 ms
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError(f'the nested command {pid} is still running')
