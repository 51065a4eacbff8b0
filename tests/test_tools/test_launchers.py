"""The command lines that tools/{dist,slurm}_{train,test}.sh and
tools/benchmarks/mmdetection/{dist,slurm}_train.sh build, read from a fake
``python`` / ``srun`` on PATH that writes its argv and PYTHONPATH to a file.
The dist_* scripts also run for real (2 gloo processes) in test_train.py and
test_mmdetection_transfer.py; srun does not exist here."""
import os
import os.path as osp
import stat
import subprocess

import pytest
from tool_runs import REPO_ROOT

FAKE = """#!/usr/bin/env bash
{{ echo "PYTHONPATH=$PYTHONPATH"; for a in "$@"; do echo "$a"; done; }} \\
    > "{out}"
"""


def _launch(tmp_path, fake, script, args, **env_vars):
    """Run SCRIPT ARGS with a fake FAKE first on PATH; the fake's argv
    (without its own name) and the PYTHONPATH it saw."""
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    out = tmp_path / 'argv.txt'
    exe = bin_dir / fake
    exe.write_text(FAKE.format(out=out))
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    env = dict(os.environ, PATH=f'{bin_dir}{os.pathsep}{os.environ["PATH"]}')
    for key in ('NNODES', 'NODE_RANK', 'MASTER_ADDR', 'PORT', 'GPUS',
                'GPUS_PER_NODE', 'CPUS_PER_TASK', 'SRUN_ARGS'):
        env.pop(key, None)
    env.update(env_vars)
    # From another directory: the scripts must not depend on the cwd.
    proc = subprocess.run(['bash', osp.join(REPO_ROOT, script), *args],
                          cwd=tmp_path,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text().splitlines()
    pythonpath = lines[0][len('PYTHONPATH='):].split(os.pathsep)
    return lines[1:], pythonpath


def _tool(*parts):
    return osp.join(REPO_ROOT, 'tools', *parts)


TORCHRUN = [
    '-m', 'torch.distributed.run', '--nnodes=1', '--node_rank=0',
    '--master_addr=127.0.0.1'
]


@pytest.mark.parametrize('script,args,expected', [
    ('tools/dist_train.sh', ['a.py', '4', '--amp'], [
        *TORCHRUN, '--nproc_per_node=4', '--master_port=29500',
        _tool('train.py'), 'a.py', '--launcher', 'pytorch', '--amp'
    ]),
    ('tools/dist_test.sh', ['a.py', 'c.pth', '2', '--out', 'r.pkl'], [
        *TORCHRUN, '--nproc_per_node=2', '--master_port=29500',
        _tool('test.py'), 'a.py', 'c.pth', '--launcher', 'pytorch', '--out',
        'r.pkl'
    ]),
    ('tools/benchmarks/mmdetection/dist_train.sh', ['d.py', 'c.pth', '8'], [
        *TORCHRUN, '--nproc_per_node=8', '--master_port=29500',
        _tool('benchmarks', 'mmdetection', 'train.py'), 'd.py', 'c.pth',
        '--launcher', 'pytorch'
    ]),
])
def test_dist_scripts(tmp_path, script, args, expected):
    argv, pythonpath = _launch(tmp_path, 'python', script, args)
    assert [osp.normpath(a) if a.startswith('/') else a
            for a in argv] == expected
    assert osp.samefile(pythonpath[0], REPO_ROOT)


def test_dist_multi_node_variables(tmp_path):
    argv, _ = _launch(
        tmp_path,
        'python',
        'tools/dist_train.sh', ['a.py', '8'],
        NNODES='2',
        NODE_RANK='1',
        MASTER_ADDR='10.0.0.7',
        PORT='29611')
    assert argv[2:7] == [
        '--nnodes=2', '--node_rank=1', '--master_addr=10.0.0.7',
        '--nproc_per_node=8', '--master_port=29611'
    ]


def _srun(nproc_total, per_node, cpus, extra=()):
    return [
        '-p', 'part', '--job-name=job', f'--gres=gpu:{per_node}',
        f'--ntasks={nproc_total}', f'--ntasks-per-node={per_node}',
        f'--cpus-per-task={cpus}', '--kill-on-bad-exit=1', *extra, 'python',
        '-u'
    ]


@pytest.mark.parametrize('script,args,env_vars,expected', [
    ('tools/slurm_train.sh', ['part', 'job', 'a.py', 'work', '--amp'], {}, [
        *_srun(8, 8, 5),
        _tool('train.py'), 'a.py', '--work-dir=work', '--launcher=slurm',
        '--amp'
    ]),
    ('tools/slurm_test.sh', ['part', 'job', 'a.py', 'c.pth'],
     dict(
         GPUS='4',
         GPUS_PER_NODE='2',
         CPUS_PER_TASK='3',
         SRUN_ARGS='--qos=low --time=10'), [
             *_srun(4, 2, 3, ['--qos=low', '--time=10']),
             _tool('test.py'), 'a.py', 'c.pth', '--launcher=slurm'
         ]),
    ('tools/benchmarks/mmdetection/slurm_train.sh', [
        'part', 'job', 'd.py', 'c.pth', 'work', '--cfg-options', 'a=1'
    ], dict(GPUS='16'), [
        *_srun(16, 8, 5),
        _tool('benchmarks', 'mmdetection', 'train.py'), 'd.py', 'c.pth',
        '--work-dir=work', '--launcher=slurm', '--cfg-options', 'a=1'
    ]),
])
def test_slurm_scripts(tmp_path, script, args, env_vars, expected):
    argv, pythonpath = _launch(tmp_path, 'srun', script, args, **env_vars)
    assert [osp.normpath(a) if a.startswith('/') else a
            for a in argv] == expected
    assert osp.samefile(pythonpath[0], REPO_ROOT)
