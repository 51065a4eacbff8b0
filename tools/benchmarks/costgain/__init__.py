# Copyright (c) OpenMMLab. All rights reserved.
"""The parts of tools/benchmarks/cost_and_gain.py, one job per module."""
