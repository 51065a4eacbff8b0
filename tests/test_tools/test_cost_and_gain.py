"""tools/benchmarks/cost_and_gain.py --quick, and the analysis tools that
share its helpers (pipeline_cost.py, benchmark_step_time.py, knn_eval.py)."""
import csv
import os.path as osp
import re
import statistics
import sys

import pytest
from mmengine.config import Config
from tool_runs import REPO_ROOT, run, scalars

from mmfgssl.engine import ccrop_update_epochs


def load_costgain(module):
    """A module of the benchmark's package ``tools/benchmarks/costgain``
    (the tools are not an installed package)."""
    import importlib
    import importlib.util
    if 'costgain' not in sys.modules:
        folder = osp.join(REPO_ROOT, 'tools', 'benchmarks', 'costgain')
        spec = importlib.util.spec_from_file_location(
            'costgain',
            osp.join(folder, '__init__.py'),
            submodule_search_locations=[folder])
        package = importlib.util.module_from_spec(spec)
        sys.modules['costgain'] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f'costgain.{module}')


# the benchmark's table of methods (the quality section's rows)
METHODS = [m[0] for m in load_costgain('tables').QUALITY_CONFIGS]

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


def section_rows(rows, section):
    """The CSV rows of one section, by (name, metric)."""
    return {
        (r['name'], r['metric']): r
        for r in rows if r['section'] == section
    }


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
        # fastest - slowest round; the other spread columns stay empty
        assert 0 <= num(r['range']) < float('inf')
        assert r['std'] == r['iqr'] == r['gain'] == ''
        assert num(r['ratio']) == pytest.approx(
            num(r['value']) / base, rel=1e-6)
        if r['target']:
            assert r['meets'] == str(num(r['ratio']) >= num(r['target']))
    assert '1. Data pipeline throughput' in md


def test_step_times_are_ratios_to_each_baseline(quick_run):
    _, _, rows, md = quick_run
    step = section_rows(rows, 'step')
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
        assert num(r['iqr']) >= 0 and r['std'] == r['range'] == ''
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
    for name in ['random init'] + METHODS:
        for metric in ('knn_top1', 'rank1', 'maxboxacc', 'box_energy'):
            r = by_key[(name, metric)]
            values = [float(v) for v in r['values'].split()]
            assert len(values) == 2  # --quick: seeds 0 and 1
            assert all(0 <= v <= 100 for v in values)
            assert num(r['value']) == pytest.approx(
                statistics.mean(values), abs=0.06)
            assert num(r['std']) == pytest.approx(
                statistics.stdev(values), abs=0.08)
            assert r['range'] == r['iqr'] == ''
    for name in METHODS:  # max - min of the seeds' pre-training seconds
        seconds = by_key[(name, 'pre-training s')]
        assert num(seconds['range']) >= 0 and seconds['std'] == ''
    assert ('MoCo v2 + GFB', 'rank1 (Eq. 8)') in by_key
    assert ('MoCo v2 + GFB', 'gfb_box_energy') in by_key
    # every run really trained: 16 images, batch 4, 2 epochs = 8 iterations
    logged = scalars(osp.join(work_dir, 'quality', 'moco-v2-gfb_seed1'))
    assert logged and max(r['iter'] for r in logged) == 8
    assert all('loss_kl' in r for r in logged)  # the GFB's loss
    for tag in ('moco-v2-contrastivecrop_seed0', 'supervised-ceiling_seed1'):
        logged = scalars(osp.join(work_dir, 'quality', tag))
        assert max(r['iter'] for r in logged) == 8
    assert '4. Quality under an equal budget' in md
    assert re.search(r'wall time: \d+ s', md)


def test_targets_recomputed_from_the_quality_rows(quick_run):
    _, _, rows, md = quick_run
    qual = section_rows(rows, 'quality')
    targets = [r for r in rows if r['section'] == 'targets']
    seen = set()
    for r in targets:
        seen.add((r['name'], r['metric']))
        if r['baseline'] == '':  # loss_align fall, ContrastiveCrop boxes
            continue
        mean, std = num(r['value']), num(r['std'])
        assert r['ratio'] == ''  # a difference, in gain
        if r['name'] == 'supervised (ceiling)':
            ssl = [n for n in METHODS if n != 'supervised (ceiling)']
            best = max(num(qual[(n, 'knn_top1')]['value']) for n in ssl)
            assert num(r['gain']) == pytest.approx(mean - best, abs=1e-6)
            assert r['meets'] == str(mean - best >= 20)
            continue
        ref = qual[(r['baseline'],
                    r['metric'].replace('gfb_', '').replace(' (Eq. 8)', ''))]
        gain = mean - num(ref['value'])
        assert num(r['gain']) == pytest.approx(gain, abs=1e-6)
        bar = max(std, num(ref['std']))
        if r['baseline'] == 'random init':
            assert r['meets'] == str(gain >= 5)
        elif r['metric'].endswith('box_energy') or r['metric'] == 'maxboxacc':
            assert r['meets'] == str(gain > 0)
        elif r['name'] in ('BYOL + CVSA', 'BYOL + DiLo'):
            assert r['meets'] == str(gain >= 5 and gain > 2 * bar)
        else:
            assert r['meets'] == str(gain > bar)
    for name in ('BYOL', 'MoCo v2', 'supervised (ceiling)'):
        assert (name, 'knn_top1') in seen
    for name in METHODS[1:3] + METHODS[4:6]:
        assert {(name, 'knn_top1'), (name, 'rank1'),
                (name, 'maxboxacc')} <= seen
    assert ('BYOL + CVSA', 'loss_align, fall (%)') in seen
    assert ('MoCo v2 + ContrastiveCrop',
            'ContrastiveCrop box IoU with the ground truth') in seen
    assert '4b. Targets' in md


def write_cub_format_set(root, sizes, num_classes=3, per_class=5):
    """A CUB-format set from another generator than ours: one coloured
    ellipse per image, its colour the class, on uniform noise, images of
    several sizes; the last two images of a class are test images."""
    import os

    import numpy as np
    from PIL import Image, ImageDraw
    rng = np.random.default_rng(0)
    lines = {
        k: []
        for k in ('images', 'image_class_labels', 'train_test_split',
                  'bounding_boxes')
    }
    classes, n = [], 0
    for c in range(num_classes):
        classes.append(f'{c + 1} {c + 1:03d}.Blob{c}')
        folder = osp.join(root, 'images', f'{c + 1:03d}.Blob{c}')
        os.makedirs(folder, exist_ok=True)
        for i in range(per_class):
            n += 1
            w, h = sizes[n % len(sizes)]
            img = Image.fromarray(
                rng.integers(0, 256, (h, w, 3), dtype=np.uint8))
            box = (w // 4, h // 4, w * 3 // 4, h * 3 // 4)
            ImageDraw.Draw(img).ellipse(
                box, fill=tuple(int(v) for v in np.eye(3)[c % 3] * 220))
            name = f'{c + 1:03d}.Blob{c}/blob_{i}.jpg'
            img.save(osp.join(root, 'images', name))
            lines['images'].append(f'{n} {name}')
            lines['image_class_labels'].append(f'{n} {c + 1}')
            lines['train_test_split'].append(f'{n} {int(i < per_class - 2)}')
            lines['bounding_boxes'].append(
                f'{n} {box[0]} {box[1]} {box[2] - box[0]} {box[3] - box[1]}')
    for key, rows in lines.items():
        with open(osp.join(root, f'{key}.txt'), 'w') as f:
            f.write('\n'.join(rows) + '\n')
    with open(osp.join(root, 'classes.txt'), 'w') as f:
        f.write('\n'.join(classes) + '\n')


def test_quality_on_a_set_it_did_not_generate(tmp_path):
    import os
    root = str(tmp_path / 'blobs')
    write_cub_format_set(root, [(48, 40), (70, 56), (40, 64)])
    before = sorted(os.listdir(root))
    work_dir = str(tmp_path / 'bench')
    out = run([
        sys.executable, 'tools/benchmarks/cost_and_gain.py', '--quick',
        '--only', 'quality', '--data-root', root, '--work-dir', work_dir
    ])
    assert f'on {osp.abspath(root)}' in out
    with open(osp.join(work_dir, 'results.csv')) as f:
        rows = list(csv.DictReader(f))
    assert {r['section']
            for r in rows} == {'quality', 'targets', 'diagnostics'}
    knn = {
        r['name']: r
        for r in rows
        if r['section'] == 'quality' and r['metric'] == 'knn_top1'
    }
    assert set(METHODS) | {'random init'} <= set(knn)
    # 3 classes of two test images each: kNN top-1 is a multiple of 100 / 6
    for r in knn.values():
        for v in r['values'].split():
            assert min(abs(float(v) - k * 100 / 6) for k in range(7)) < 0.1
    assert not osp.exists(osp.join(work_dir, 'data', 'quality'))
    assert sorted(os.listdir(root)) == before  # nothing written there
    with pytest.raises(AssertionError, match='bounding_boxes.txt'):
        os.remove(osp.join(root, 'bounding_boxes.txt'))
        run([
            sys.executable, 'tools/benchmarks/cost_and_gain.py', '--quick',
            '--only', 'quality', '--data-root', root, '--work-dir', work_dir
        ])


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
    diag = section_rows(rows, 'diagnostics')
    for name, term in (('BYOL + CVSA', 'loss_align'),
                       ('MoCo v2 + GFB', 'loss_kl'), ('BYOL', 'loss')):
        for when in ('first tenth', 'last tenth'):
            r = diag[(name, f'{term}, {when}')]
            values = [float(v) for v in r['values'].split()]
            assert len(values) == 2
            assert num(r['value']) == pytest.approx(
                statistics.mean(values), rel=1e-2, abs=1e-3)
    # mmpretrain's BYOL loss is 2 (-cos(q, k') - cos(k, q')): in [-4, 4]
    for when in ('first tenth', 'last tenth'):
        values = diag[('BYOL', f'loss, {when}')]['values'].split()
        assert all(-4 <= float(v) <= 4 for v in values)
    for key in ('ccrop_whole_image', 'ccrop_gt_iou', 'ccrop_box_area'):
        r = diag[('MoCo v2 + ContrastiveCrop', f'{key}, last update')]
        assert 0 <= num(r['value']) <= 1
    # CVSA's correspondence against its views' masks
    assert 0 <= num(diag[('BYOL + CVSA', 'cvsa_corr_mask_mae')]['value']) <= 1
    assert -1 <= num(
        diag[('BYOL + CVSA', 'cvsa_corr_mask_pearson')]['value']) <= 1


def test_ablations_section(quick_run):
    _, _, rows, md = quick_run
    abl = section_rows(rows, 'ablations')
    for name in ('BYOL + SaliencySwap views only (no alignment)',
                 'BYOL + CVSA, dot product (Eq. 3)',
                 'BYOL + CVSA, cosine / 0.1',
                 'MoCo v2 + ContrastiveCrop, threshold above the mean'):
        assert len(abl[(name, 'knn_top1')]['values'].split()) == 2
    targets = {(r['name'], r['metric'])
               for r in rows if r['section'] == 'targets'}
    assert ('BYOL + CVSA, dot product (Eq. 3)',
            'loss_align, fall (%)') in targets
    assert ('MoCo v2 + ContrastiveCrop, threshold above the mean',
            'ContrastiveCrop box IoU with the ground truth') in targets
    assert '6. Ablations' in md
    assert '5. Diagnostics of the quality runs' in md


def test_detector_masks_only_for_the_runs_that_read_them(quick_run, tmp_path):
    data, tables = load_costgain('data'), load_costgain('tables')
    uses = {
        name:
        data.uses_detector_masks(
            Config.fromfile(osp.join(REPO_ROOT, path)).train_dataloader)
        for name, path, _, _ in tables.QUALITY_CONFIGS +
        tables.ABLATION_CONFIGS
    }
    assert {n
            for n, u in uses.items() if u} == {n
                                               for n in uses if 'DiLo' in n}
    # the quick run has DiLo: its quality set got the masks, once
    work_dir = quick_run[0]
    masks = osp.join(work_dir, 'data', 'quality', data.MASK_DIR)
    assert osp.isfile(osp.join(masks, '.done'))
    # the generated set alone (BYOL + CVSA's demo) has none
    roots = data.make_sets(str(tmp_path), tables.QUICK, {'quality'})
    assert not osp.exists(roots['quality_masks'])
    assert osp.isfile(osp.join(roots['quality'], 'images.txt'))


def test_retargeted_file_sources_follow_the_set(tiny_synthetic_cub, tmp_path):
    # a DiLo config with ground-truth mask files ('{data_root}/...'): built
    # on another set, its masks come from that set; with precomputed masks,
    # the detector config reads them instead of running the detector
    from mmfgssl.datasets import find_transforms
    from mmfgssl.datasets.transforms import LoadSaliencyMask
    data = load_costgain('data')

    def mask_source(config, mask_root=None):
        dataset = data.build_train_dataset(
            data.load_config(config), tiny_synthetic_cub, mask_root)
        return find_transforms(
            dataset.pipeline,
            lambda t: isinstance(t, LoadSaliencyMask))[0].source

    gt = mask_source(
        'configs/dilo/byol-dilo_resnet18_1xb32-coslr-gtmask-100e_synthcub.py')
    assert gt.kind == 'mask_file'
    assert gt.root == osp.join(tiny_synthetic_cub, 'segmentations')
    assert gt.img_root == osp.join(tiny_synthetic_cub, 'images')
    dilo = 'configs/dilo/byol-dilo_resnet18_1xb32-coslr-100e_synthcub.py'
    assert mask_source(dilo).kind == 'detector'
    pre = mask_source(dilo, str(tmp_path))
    assert (pre.kind, pre.root) == ('mask_file', str(tmp_path))
