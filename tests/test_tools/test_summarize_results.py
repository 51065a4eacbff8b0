"""summarize_results.py on hand-written work dirs: last values, names,
test dumps, sweep selections and a curve PNG."""
import json
import os
import os.path as osp
import pickle
import sys

from code_payload import RunsCode
from PIL import Image
from tool_runs import completed

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def make_work_dir(root, config_name, rows, pkl=None):
    os.makedirs(osp.join(root, '20260101_000000', 'vis_data'))
    with open(osp.join(root, config_name), 'w') as f:
        f.write('# dumped config\n')
    with open(
            osp.join(root, '20260101_000000', 'vis_data', 'scalars.json'),
            'w') as f:
        for row in rows:
            f.write(json.dumps(row) + '\n')
    if pkl:
        with open(osp.join(root, 'metrics.pkl'), 'wb') as f:
            pickle.dump(pkl, f)


def test_table_and_curves(tmp_path):
    byol = str(tmp_path / 'byol')
    make_work_dir(
        byol,
        'byol_resnet18_1xb32-coslr-100e_synthcub.py', [
            dict(iter=1, loss=0.9, lr=0.1),
            dict(iter=2, loss=0.7, lr=0.1),
            dict(step=2, knn_top1=30.0),
            dict(iter=3, loss=0.5, lr=0.1),
            dict(iter=4, loss=0.4, lr=0.1),
            dict(step=4, knn_top1=45.0),
        ],
        pkl={
            'retrieval/rank1': 12.5,
            'retrieval/mAP': 20.25
        })
    gfb = str(tmp_path / 'gfb')
    make_work_dir(gfb, 'mocov2-gfb_resnet18_1xb32-coslr-100e_cub.py', [
        dict(iter=1, loss=2.0, loss_cl=1.9, loss_kl=0.1),
        dict(iter=2, loss=1.5, loss_cl=1.45, loss_kl=0.05),
        dict(step=2, **{'accuracy/top1': 10.0}),
    ])
    sweep = str(tmp_path / 'sweep')
    make_work_dir(sweep, 'resnet18_1xb16-linear-coslr-50e_synthcub.py',
                  [dict(iter=1, loss=1.0)])
    with open(osp.join(sweep, 'selection.json'), 'w') as f:
        json.dump(
            dict(
                chosen=dict(lr=0.01, wd=None),
                tests=[{
                    'accuracy/top1': 70.0
                }, {
                    'accuracy/top1': 73.0
                }]), f)
    out = str(tmp_path / 'summary' / 'table.md')
    proc = completed([
        sys.executable, 'tools/analysis_tools/summarize_results.py', byol, gfb,
        sweep, '--out', out, '--plot',
        str(tmp_path / 'curves')
    ])
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(out) as f:
        lines = f.read().splitlines()
    header = [c.strip() for c in lines[0].strip('|').split('|')]
    cells = [[c.strip() for c in line.strip('|').split('|')]
             for line in lines[2:]]
    row = dict(zip(header, cells[0]))
    assert (row['method'], row['dataset']) == ('byol', 'synthcub')
    assert row['last logged iter'] == '4'
    assert row['knn_top1'] == '45.00'  # the last value, not the first
    assert row['retrieval/rank1'] == '12.50'
    assert row['accuracy/top1'] == '-'
    row = dict(zip(header, cells[1]))
    assert (row['method'], row['dataset']) == ('mocov2-gfb', 'cub')
    assert row['accuracy/top1'] == '10.00'
    row = dict(zip(header, cells[2]))  # a sweep: the mean of its trials
    assert row['accuracy/top1'] == '71.50' and row['trials'] == '2'
    assert row['chosen lr'] == '0.01'
    assert osp.isfile(osp.splitext(out)[0] + '.csv')
    pngs = sorted(os.listdir(tmp_path / 'curves'))
    assert len(pngs) == 3
    for name in pngs:
        with Image.open(tmp_path / 'curves' / name) as img:
            assert img.format == 'PNG' and img.size[0] > 100


def test_a_crafted_pickle_in_a_work_dir_runs_no_code(tmp_path):
    work = str(tmp_path / 'byol')
    make_work_dir(
        work,
        'byol_resnet18_1xb32-coslr-100e_synthcub.py', [dict(iter=1, loss=0.9)],
        pkl={'retrieval/rank1': 12.5})
    marker = tmp_path / 'pwned'
    with open(osp.join(work, 'evil.pkl'), 'wb') as f:
        pickle.dump({'accuracy/top1': 99.0, 'x': RunsCode(marker)}, f)
    # a JSON dump of tools/test.py --out is read too
    with open(osp.join(work, 'test_metrics.json'), 'w') as f:
        json.dump({'accuracy/top1': 61.5}, f)
    out = str(tmp_path / 'table.md')
    proc = completed([
        sys.executable, 'tools/analysis_tools/summarize_results.py', work,
        '--out', out
    ])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not marker.exists()
    assert f'skipped {osp.join(work, "evil.pkl")}: refused posix.system' in (
        proc.stderr), proc.stderr[-3000:]
    with open(out) as f:
        lines = f.read().splitlines()
    header = [c.strip() for c in lines[0].strip('|').split('|')]
    row = dict(
        zip(header, [c.strip() for c in lines[2].strip('|').split('|')]))
    assert float(row['retrieval/rank1']) == 12.5  # the plain pickle
    assert float(row['accuracy/top1']) == 61.5  # the JSON, not the payload
