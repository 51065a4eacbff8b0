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

A child's own ``python SCRIPT ...`` commands (a tool that runs other
tools: the sweep's trials, make_readme_figures' pre-trainings, the
benchmark's memory probes) are served the same way, by a copy of the child
forked before its script runs (:func:`start_zygote` in the server): the
child's ``sys.executable`` is a shim that hands the command to that copy,
which forks one child per command (one server at a time, so they share its
hash seed). The shim runs anything else with the real interpreter.

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
# pytest sets PYTEST_CURRENT_TEST anew for every test; torch.hub reads
# TORCH_HOME when it looks for its folder (torch.hub.get_dir)
RUNTIME_ENV = frozenset({
    'PATH', 'KILL_AT_SAVE', 'KILL_AT_ITER', 'PORT', 'MASTER_PORT',
    'PYTEST_CURRENT_TEST', 'TORCH_HOME'
})

POOL_SIZE = 3


def start_up_differs(env, *bases):
    """The variables of ``env`` that a new interpreter would read at
    start-up differently from a process started with any of ``bases``
    (a variable counts unless its value is one of theirs, or it is in
    :data:`RUNTIME_ENV`)."""
    keys = set(env).union(*bases)
    return {
        k
        for k in keys - RUNTIME_ENV
        if env.get(k) not in [base.get(k) for base in bases]
    }


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
import select
import shutil
import signal
import socket
import sys
import tempfile
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


def run_child(req, fds=None):
    """Run the request's script in this (forked) process, its stdin
    /dev/null and its stdout / stderr the request's files, or the file
    descriptors ``fds`` (stdin, stdout, stderr) of a nested command; never
    returns."""
    import atexit
    import random
    import runpy
    import traceback
    if fds is None:
        fds = (dev_null,
               os.open(req['stdout'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
               os.open(req['stderr'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC))
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    os.chdir(req['cwd'])
    os.environ.clear()
    os.environ.update(req['env'])
    random.seed()
    numpy.random.seed()
    torch.seed()
    zygote, zygote_dir = start_zygote()
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
        os.kill(zygote, signal.SIGKILL)
        shutil.rmtree(zygote_dir, ignore_errors=True)
        os._exit(code)


def start_zygote():
    """Fork a copy of this child, before its script runs, that serves the
    script's own ``python SCRIPT ...`` commands (a tool that runs other
    tools) as the server serves the tests': ``sys.executable`` becomes a
    shim that hands such a command, its environment and its stdin / stdout
    / stderr to the copy over a socket, and execs the real interpreter for
    anything else. Returns the copy's pid and the shim's folder (which the
    copy removes if this child dies first)."""
    folder = tempfile.mkdtemp(prefix='fork_zygote_')
    address = os.path.join(folder, 'socket')
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(address)
    listener.listen(16)
    shim = os.path.join(folder, 'python')
    with open(shim, 'w') as f:
        f.write(SHIM.format(real=REAL_PYTHON, address=address))
    os.chmod(shim, 0o755)
    sys.executable = shim
    parent = os.getpid()
    pid = os.fork()
    if pid:
        listener.close()
        return pid, folder
    try:  # the zygote: a supervisor per command, until the child is gone
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # reaps them
        listener.settimeout(1.)
        while os.getppid() == parent:
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            if os.fork() == 0:
                listener.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                supervise(conn)
            conn.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os._exit(0)


def supervise(conn):
    """Run one nested command in a child of this process, kill it if the
    shim goes away (killed by the caller), and send its exit status; never
    returns."""
    msg, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
    req = json.loads(msg)
    if start_up_differs(req['env'], dict(os.environ)):  # a new interpreter
        conn.send(json.dumps(dict(fallback=True)).encode())
        os._exit(0)
    pid = os.fork()
    if pid == 0:
        conn.close()
        run_child(req, fds)
    for fd in fds:
        os.close(fd)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if select.select([conn], [], [], 0.02)[0] and not conn.recv(16):
            os.kill(pid, signal.SIGKILL)  # the shim is gone
            os.waitpid(pid, 0)
            os._exit(0)
    code = (-os.WTERMSIG(status)
            if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
    conn.send(json.dumps(dict(returncode=code)).encode())
    os._exit(0)


print(json.dumps(dict(ready=os.getpid(), env=dict(os.environ))),
      file=replies,
      flush=True)
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
# The nested commands' ``sys.executable``: ``python -S -E`` starts in a few
# milliseconds (no site-packages, no PYTHON* variables); a command that is
# not ``python SCRIPT.py ...``, or that the zygote refuses (an environment
# read at start-up), gets the real interpreter with its arguments and
# environment, untouched. A command killed by a signal dies of it, as the
# real interpreter would.
SHIM = '''#!{real} -SE
import json, os, signal, socket, sys
argv = sys.argv[1:]
if argv and argv[0].endswith('.py') and not argv[0].startswith('-'):
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
        s.connect({address!r})
        req = dict(argv=argv, cwd=os.getcwd(), env=dict(os.environ))
        socket.send_fds(s, [json.dumps(req).encode()], [0, 1, 2])
        reply = json.loads(s.recv(4096))
    if not reply.get('fallback'):
        code = reply['returncode']
        if code < 0:
            if -code not in (signal.SIGKILL, signal.SIGSTOP):
                signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
        sys.exit(code)
os.execv({real!r}, [{real!r}, *argv])
'''

# the server defines and runs the memoisation of this module and knows the
# start-up environment rule (for nested commands) and the shim
SERVER = ('import functools\n' + inspect.getsource(memoize_format_code) +
          inspect.getsource(start_up_differs) +
          f'RUNTIME_ENV = {set(RUNTIME_ENV)!r}\n'
          f'REAL_PYTHON = {sys.executable!r}\n'
          f'SHIM = {SHIM!r}\n' + SERVER)


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
            reply = json.loads(line)
            self.ready = reply['ready']
            # what the stack's imports set (cv2: LD_LIBRARY_PATH)
            self.imported_env = reply['env']

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
    servers started with (or would start with) only in :data:`RUNTIME_ENV`
    and in what the stack's imports set in the servers (cv2 puts its
    libraries on ``LD_LIBRARY_PATH``): the test process gets those too, when
    a test imports the same modules after the servers started."""
    if not enabled() or len(cmd) < 2 or cmd[0] != sys.executable:
        return False
    if cmd[1].startswith('-') or not cmd[1].endswith('.py'):
        return False
    if not _pool:
        started = imported = _server_env()
    else:
        _pool[0].wait_ready()
        started, imported = _pool[0].env, _pool[0].imported_env
    return not start_up_differs(env, started, imported)


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
