"""Run ``python SCRIPT ARGS`` for the tests without paying the imports.

A fresh interpreter spends about 6 s of this 2-core machine importing torch,
torchvision, mmengine, mmpretrain (and mmdet through it) and mmfgssl before
tools/train.py reads its config; a tiny training then takes about 1 s. The
suite starts well over a hundred such processes. A fork server imports the
stack once, then forks a child per command that runs the script as
``python SCRIPT`` would:

- ``sys.argv``, ``__file__`` (absolute, as Python 3.9+ gives the main
  script), ``sys.path[0]`` (the script's folder), the working directory
  and the environment are the command's; stdin is /dev/null, stdout and
  stderr go to files read back afterwards;
- the ``random``, NumPy and torch global generators are reseeded from the
  OS, as a new interpreter seeds them, so no two children share a random
  state;
- an uncaught exception prints its traceback and exits 1, ``SystemExit``
  exits with its code, the exit functions (``atexit``) run, and a child
  killed by a signal reports ``-signal`` like ``subprocess``.

The servers (and the test process, from conftest.py) also memoise yapf's
``FormatCode``, which mmengine runs over the whole config text for every
config dump, config log line and checkpoint (``Config.pretty_text``, about
0.5 s each; six times in a two-epoch tiny run): it is a pure function of
its arguments, so a child gets the same text, once computed.

``PYTHONHASHSEED`` is fixed when an interpreter starts, so the pool holds
three servers, each with its own random hash seed, taken in turn: a test's
consecutive runs (e.g. uninterrupted, killed, resumed) see different hash
seeds, as separate processes do.

A command is run by a plain subprocess instead when it is not ``python
SCRIPT ...`` (``-c``, ``-m``, bash, torchrun), when its environment differs
from the servers' in a variable read at start-up (anything outside
:data:`RUNTIME_ENV`, e.g. ``PYTHONPATH`` or ``OMP_NUM_THREADS``), or when
``MMFGSSL_TEST_FORK_SERVER=0``.
"""
import functools
import inspect
import json
import os
import os.path as osp
import random
import subprocess
import sys
import tempfile
import threading

# variables the tools read while they run, not at interpreter start-up;
# pytest sets PYTEST_CURRENT_TEST anew for every test
RUNTIME_ENV = frozenset({
    'PATH', 'KILL_AT_SAVE', 'KILL_AT_ITER', 'PORT', 'MASTER_PORT',
    'PYTEST_CURRENT_TEST'
})

POOL_SIZE = 3


def memoize_format_code():
    """Make mmengine's config formatting (yapf's ``FormatCode``, a pure
    function of the text and options) compute each text once per process."""
    import mmengine.config.config as config_module
    format_code = config_module.FormatCode
    if getattr(format_code, 'memoized', False):
        return

    @functools.lru_cache(maxsize=32)
    def cached(text, style, options):
        return format_code(text, style_config=dict(style), **dict(options))

    def memoized(text, *args, **options):
        style = options.pop('style_config', None)
        if args or not isinstance(style, dict):
            return format_code(text, *args, style_config=style, **options)
        # hashable: the items, sorted
        return cached(text, tuple(sorted(style.items())),
                      tuple(sorted(options.items())))

    memoized.memoized = True
    config_module.FormatCode = memoized


SERVER = r'''
import json
import os
import signal
import sys
import time

import numpy
import torch
import mmengine.runner
import mmpretrain.apis
import mmfgssl
import mmfgssl.utils

memoize_format_code()
requests, replies = sys.stdin.buffer, sys.stdout
dev_null = os.open(os.devnull, os.O_RDONLY)


def run_child(req):
    import atexit
    import random
    import runpy
    import traceback
    os.dup2(dev_null, 0)
    out = os.open(req['stdout'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err = os.open(req['stderr'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(err, 2)
    os.chdir(req['cwd'])
    os.environ.clear()
    os.environ.update(req['env'])
    random.seed()
    numpy.random.seed()
    torch.seed()
    script = os.path.abspath(req['argv'][0])
    sys.argv = list(req['argv'])
    sys.path[0] = os.path.dirname(script)
    code = 0
    try:
        runpy.run_path(script, run_name='__main__')
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


print(json.dumps(dict(ready=os.getpid())), file=replies, flush=True)
for line in requests:
    req = json.loads(line)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        run_child(req)
    deadline = time.monotonic() + req['timeout']
    timed_out = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            timed_out = True
        time.sleep(0.02)
    if os.WIFSIGNALED(status):
        code = -os.WTERMSIG(status)
    else:
        code = os.WEXITSTATUS(status)
    print(json.dumps(dict(returncode=code, timed_out=timed_out)),
          file=replies, flush=True)
'''
# the server defines and runs the memoisation of this module
SERVER = ('import functools\n' + inspect.getsource(memoize_format_code) +
          SERVER)


class _Server:
    """One pre-imported interpreter that forks a child per request."""

    def __init__(self, env):
        self.env = dict(env)
        server_env = dict(
            self.env, PYTHONHASHSEED=str(random.randrange(2**32)))
        # the server's own messages (import warnings, a crash)
        self.log = tempfile.NamedTemporaryFile(
            'w+', prefix='fork_server_', suffix='.log')
        self.proc = subprocess.Popen([sys.executable, '-c', SERVER],
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=self.log,
                                     env=server_env,
                                     cwd=tempfile.gettempdir())
        self.ready = None
        self.lock = threading.Lock()

    def wait_ready(self):
        if self.ready is None:
            line = self.proc.stdout.readline()
            if not line:
                self.log.seek(0)
                raise RuntimeError('fork server exited while importing '
                                   f'(return code {self.proc.wait()}): '
                                   f'{self.log.read()[-3000:]}')
            self.ready = json.loads(line)['ready']

    def run(self, argv, cwd, env, timeout):
        with self.lock, tempfile.TemporaryDirectory() as tmp:
            self.wait_ready()
            req = dict(
                argv=list(argv),
                cwd=cwd,
                env=env,
                timeout=timeout,
                stdout=osp.join(tmp, 'stdout'),
                stderr=osp.join(tmp, 'stderr'))
            self.proc.stdin.write((json.dumps(req) + '\n').encode())
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError('the fork server died')
            reply = json.loads(line)
            with open(req['stdout'], errors='replace') as f:
                out = f.read()
            with open(req['stderr'], errors='replace') as f:
                err = f.read()
        if reply['timed_out']:
            raise subprocess.TimeoutExpired(argv, timeout, out, err)
        return subprocess.CompletedProcess([sys.executable, *argv],
                                           reply['returncode'], out, err)


_pool = []
_turn = [0]


def enabled():
    return os.environ.get('MMFGSSL_TEST_FORK_SERVER', '1') != '0'


def _server_env():
    return dict(os.environ, OMP_NUM_THREADS='1')


def forkable(cmd, env):
    """Whether :func:`run` may serve ``cmd`` with ``env`` from a server:
    ``python SCRIPT.py ...`` whose environment differs from the one the
    servers started with (or would start with) only in :data:`RUNTIME_ENV`.
    """
    if not enabled() or len(cmd) < 2 or cmd[0] != sys.executable:
        return False
    if cmd[1].startswith('-') or not cmd[1].endswith('.py'):
        return False
    base = _pool[0].env if _pool else _server_env()
    differing = {k for k in set(base) | set(env) if base.get(k) != env.get(k)}
    return differing <= RUNTIME_ENV


def run(cmd, cwd, env, timeout, new_process=False):
    """``subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
    text=True, timeout=timeout)``, from a fork server when
    :func:`forkable` and not ``new_process`` (a program that inspects the
    interpreter's start, e.g. what is imported before it runs)."""
    # subprocess takes path-like arguments and working directories
    cmd = [os.fspath(c) for c in cmd]
    cwd = os.getcwd() if cwd is None else os.fspath(cwd)
    env = dict(os.environ) if env is None else env
    if new_process or not forkable(cmd, env):
        return subprocess.run(
            cmd,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout)
    if not _pool:
        _pool.extend(_Server(_server_env()) for _ in range(POOL_SIZE))
    server = _pool[_turn[0] % POOL_SIZE]
    _turn[0] += 1
    return server.run(cmd[1:], cwd, env, timeout)


def shutdown():
    """Stop the servers (at the end of the session)."""
    while _pool:
        server = _pool.pop()
        server.proc.stdin.close()
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
        server.log.close()
