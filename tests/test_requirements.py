# Copyright (c) OpenMMLab. All rights reserved.
"""The version ranges that ``import mmfgssl`` enforces are the ones the
requirement files install: one range per package."""
import os.path as osp
import re

import mmfgssl

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def requirement_ranges():
    ranges = {}
    for name in ('mminstall.txt', 'runtime.txt'):
        with open(osp.join(REPO_ROOT, 'requirements', name)) as f:
            for line in f:
                line = line.split('#')[0].strip()
                m = re.fullmatch(r'([\w-]+)>=([\d.]+),<([\d.]+)', line)
                if m:
                    ranges[m.group(1)] = (m.group(2), m.group(3))
    return ranges


def test_import_check_uses_the_requirement_files_ranges():
    files = requirement_ranges()
    assert 'mmcv' in files
    for name, _, low, high in mmfgssl._REQUIREMENTS:
        if name in files:
            assert files[name] == (low, high), name
