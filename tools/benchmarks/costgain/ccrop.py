# Copyright (c) OpenMMLab. All rights reserved.
"""Section 3: the ContrastiveCrop box-update cost."""
import os.path as osp
import statistics

from mmengine.config import Config

from .report import result
from .tables import CCROP_CONFIG, CCROP_PAPER_CONFIGS, CCROP_TARGET, REPO_ROOT


def bench_ccrop(timings, rows):
    from mmfgssl.engine import ccrop_update_epochs
    name = 'MoCo v2 + ContrastiveCrop'
    if name not in timings:
        print(f'== 3. ContrastiveCrop: skipped ({name} not run, see '
              '--methods)')
        return
    updates, plain, total, spent = [], [], 0., 0.
    for seconds, epochs in timings[name]:
        total += sum(e['seconds'] for e in epochs)
        for e in epochs:
            if e['updates']:
                updates.extend(e['updates'])
                spent += sum(e['updates'])
            else:
                plain.append(e['seconds'])
    if not updates or not plain:
        raise RuntimeError(f'{name}: {len(updates)} box updates and '
                           f'{len(plain)} epochs without one; need both')
    ratio = statistics.median(updates) / statistics.median(plain)
    print(f'== 3. ContrastiveCrop: update / epoch = {ratio:.3f} '
          f'({len(updates)} updates)')
    rows.append(
        result(
            section='ccrop',
            name='update / plain epoch (synthetic runs)',
            config=CCROP_CONFIG,
            baseline='',
            metric='ratio',
            value=ratio))
    rows.append(
        result(
            section='ccrop',
            name='share of training time (synthetic runs, measured)',
            config=CCROP_CONFIG,
            baseline='',
            metric='fraction',
            value=spent / total))
    for path in CCROP_PAPER_CONFIGS:
        cfg = Config.fromfile(osp.join(REPO_ROOT, path))
        hook = next(h for h in cfg.custom_hooks
                    if h['type'] == 'ContrastiveCropHook')
        epochs = cfg.train_cfg.max_epochs
        n = len(
            ccrop_update_epochs(hook['warmup_epochs'], hook['interval'],
                                epochs))
        share = n * ratio / (epochs + n * ratio)
        rows.append(
            result(
                section='ccrop',
                name=f'share at the schedule of {osp.basename(path)} '
                f'({n} updates in {epochs} epochs)',
                config=path,
                baseline='',
                metric='fraction',
                value=share,
                target=CCROP_TARGET,
                meets=share <= CCROP_TARGET))
