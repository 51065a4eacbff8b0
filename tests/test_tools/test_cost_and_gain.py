"""tools/benchmarks/cost_and_gain.py --quick, and the analysis tools that
share its helpers (pipeline_cost.py, benchmark_step_time.py, knn_eval.py)."""
import csv
import os.path as osp
import re
import statistics
import sys

import pytest
from mmengine.config import Config
from test_train import REPO_ROOT, run, scalars

from mmfgssl.engine import ccrop_update_epochs

BYOL = 'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py'
CVSA = 'configs/cvsa/cvsa_resnet18_1xb32-coslr-100e_synthcub.py'


@pytest.fixture(scope='module')
def quick_run(tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('cost_and_gain'))
    out = run([
        sys.executable, 'tools/benchmarks/cost_and_gain.py', '--quick',
        '--work-dir', work_dir
    ])
    with open(osp.join(work_dir, 'results.csv')) as f:
        rows = list(csv.DictReader(f))
    with open(osp.join(work_dir, 'results.md')) as f:
        md = f.read()
    return work_dir, out, rows, md


def num(text):
    return float(text) if text not in ('', None) else None


def test_pipelines_are_ratios_to_random_resized_crop(quick_run):
    _, _, rows, md = quick_run
    pipe = [r for r in rows if r['section'] == 'pipeline']
    names = [r['name'] for r in pipe]
    assert names[0].startswith('RandomResizedCrop')
    for key in ('SaliencySwap mode I, in-set', 'SaliencySwap mode I, in-batch',
                'SaliencySwap mode II', 'ContrastiveCrop',
                'DiLo copy-paste, masks precomputed',
                'DiLo copy-paste, saliency'):
        assert any(n.startswith(key) for n in names), key
    base = num(pipe[0]['value'])
    for r in pipe:
        assert num(r['value']) > 0
        assert num(r['ratio']) == pytest.approx(
            num(r['value']) / base, rel=1e-6)
        if r['target']:
            assert r['meets'] == str(num(r['ratio']) >= num(r['target']))
    assert '1. Data pipeline throughput' in md


def test_step_times_are_ratios_to_each_baseline(quick_run):
    _, _, rows, md = quick_run
    step = {
        (r['name'], r['metric']): r
        for r in rows if r['section'] == 'step'
    }
    expected = {
        'BYOL': 'BYOL',
        'BYOL + CVSA': 'BYOL',
        'MoCo v2': 'MoCo v2',
        'MoCo v2 + GFB': 'MoCo v2',
        'BYOL + GFB': 'BYOL'
    }
    for name, base in expected.items():
        r = step[(name, 's/step')]
        assert r['baseline'] == base
        assert num(r['ratio']) == pytest.approx(
            num(r['value']) / num(step[(base, 's/step')]['value']), rel=1e-6)
        # model, optimizer state and two steps of a ResNet-18: > 10 MiB
        assert 10 < num(step[(name, 'peak MiB')]['value']) < 4000
    assert step[('BYOL + CVSA', 's/step')]['target'] == '1.1'
    assert step[('MoCo v2 + GFB', 's/step')]['target'] == '1.05'
    assert '2. Training step time' in md


def test_ccrop_update_share_and_projection(quick_run):
    _, _, rows, _ = quick_run
    cc = [r for r in rows if r['section'] == 'ccrop']
    ratio = num(cc[0]['value'])
    assert 0 < ratio
    assert 0 < num(cc[1]['value']) < 1  # measured share of the runs
    projected = [r for r in cc if r['config'].endswith('_in1k.py')]
    assert projected
    for r in cc[2:]:
        cfg = Config.fromfile(osp.join(REPO_ROOT, r['config']))
        hook = [
            h for h in cfg.custom_hooks if h['type'] == 'ContrastiveCropHook'
        ][0]
        n = 0
        for epoch in range(1, cfg.train_cfg.max_epochs + 1):
            # the hook's rule, written out: after the warm-up, every
            # interval, not after the last epoch
            if (epoch >= hook['warmup_epochs']
                    and epoch % hook['interval'] == 0
                    and epoch != cfg.train_cfg.max_epochs):
                n += 1
        assert f'({n} updates in {cfg.train_cfg.max_epochs} epochs)' in \
            r['name']
        share = n * ratio / (cfg.train_cfg.max_epochs + n * ratio)
        assert num(r['value']) == pytest.approx(share, rel=1e-3)
        assert r['meets'] == str(share <= 0.03)


def test_quality_runs_trained_with_equal_budgets(quick_run):
    work_dir, out, rows, md = quick_run
    qual = [r for r in rows if r['section'] == 'quality']
    by_key = {(r['name'], r['metric']): r for r in qual}
    methods = [
        'BYOL', 'BYOL + CVSA', 'BYOL + DiLo', 'BYOL + GFB', 'MoCo v2',
        'MoCo v2 + GFB', 'MoCo v2 + ContrastiveCrop'
    ]
    for name in ['random init'] + methods:
        for metric in ('knn_top1', 'rank1'):
            r = by_key[(name, metric)]
            values = [float(v) for v in r['values'].split()]
            assert len(values) == 2  # --quick: seeds 0 and 1
            assert all(0 <= v <= 100 for v in values)
            assert num(r['value']) == pytest.approx(
                statistics.mean(values), abs=0.06)
            assert num(r['spread']) == pytest.approx(
                statistics.stdev(values), abs=0.08)
    for name in ('BYOL + GFB', 'MoCo v2 + GFB'):
        assert (name, 'rank1 (Eq. 8)') in by_key
    for name in methods[1:4] + methods[5:]:
        r = by_key[(name, 'rank1')]
        base = by_key[(r['baseline'], 'rank1')]
        gain = num(r['value']) - num(base['value'])
        assert num(r['ratio']) == pytest.approx(gain, abs=1e-6)
        assert r['meets'] == str(
            gain > max(num(r['spread']), num(base['spread'])))
    # every run really trained: 16 images, batch 4, 2 epochs = 8 iterations
    logged = scalars(osp.join(work_dir, 'quality', 'mocov2-gfb_seed1'))
    assert logged and max(r['iter'] for r in logged) == 8
    assert all('loss_kl' in r for r in logged)  # the GFB's loss
    ccrop = scalars(
        osp.join(work_dir, 'quality', 'mocov2-contrastivecrop_seed0'))
    assert max(r['iter'] for r in ccrop) == 8
    assert '4. Quality under an equal budget' in md
    assert re.search(r'wall time: \d+ s', md)


def test_ccrop_update_epochs_of_the_papers_schedules():
    assert ccrop_update_epochs(20, 20, 100) == [20, 40, 60, 80]
    assert ccrop_update_epochs(160, 160, 800) == [160, 320, 480, 640]
    assert ccrop_update_epochs(30, 20, 100) == [40, 60, 80]
    assert ccrop_update_epochs(1, 1, 2) == [1]
    assert ccrop_update_epochs(5, 5, 5) == []


def test_pipeline_cost_step_time_and_knn_eval_run(tiny_synthetic_cub,
                                                  byol_synthcub_checkpoint):
    out = run([
        sys.executable, 'tools/analysis_tools/pipeline_cost.py', BYOL, CVSA,
        '--data-root', tiny_synthetic_cub, '--num-images', '2', '--rounds', '2'
    ])
    lines = [line for line in out.splitlines() if 'ms/image' in line]
    assert len(lines) == 2 and '(x1.00)' in lines[0]
    out = run([
        sys.executable, 'tools/analysis_tools/benchmark_step_time.py', BYOL,
        CVSA, '--batch-size', '2', '--img-size', '32', '--steps', '2',
        '--warmup', '1'
    ])
    assert '2 timed steps each' in out
    assert re.search(r'\| configs/byol/\S+ \| [\d.]+ \| [\d.]+ \| 1\.000 \|',
                     out)
    out = run([
        sys.executable, 'tools/analysis_tools/knn_eval.py', BYOL,
        byol_synthcub_checkpoint, '--compare-random-init', '--data-root',
        tiny_synthetic_cub, '--num-workers', '0', '--k', '3'
    ])
    assert re.search(r'\| random init \| [\d.]+ \| [\d.]+ \| [\d.]+ \|', out)
    assert '4 classes' in out


def test_diagnostics_of_the_quality_runs(quick_run):
    work_dir, _, rows, md = quick_run
    diag = {
        (r['name'], r['metric']): r
        for r in rows if r['section'] == 'diagnostics'
    }
    for name, term in (('BYOL + CVSA', 'loss_align'),
                       ('MoCo v2 + GFB', 'loss_kl'), ('BYOL', 'loss')):
        for when in ('first iteration', 'last iteration'):
            r = diag[(name, f'{term}, {when}')]
            values = [float(v) for v in r['values'].split()]
            assert len(values) == 2
            assert num(r['value']) == pytest.approx(
                statistics.mean(values), rel=1e-2, abs=1e-3)
    # mmpretrain's BYOL loss is 2 (-cos(q, k') - cos(k, q')): in [-4, 4]
    for when in ('first iteration', 'last iteration'):
        values = diag[('BYOL', f'loss, {when}')]['values'].split()
        assert all(-4 <= float(v) <= 4 for v in values)
    whole = diag[('MoCo v2 + ContrastiveCrop',
                  'ccrop_whole_image, last update')]
    assert 0 <= num(whole['value']) <= 1
    assert '5. Diagnostics of the quality runs' in md
