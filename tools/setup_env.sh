#!/usr/bin/env bash
# Create (or bring up to date) the repository's .venv with the pinned OpenMMLab stack:
#   torch 2.14.1 + torchvision 0.29.1, mmengine 0.10.7, mmcv 2.1.0 compiled with ops against that
#   torch, mmpretrain 1.2.0, mmdet 3.3.0, and mmfgssl installed editable with its test tools.
#
# Usage: bash tools/setup_env.sh
# Environment:
#   PYTHON          interpreter to build the venv from (default: python3.11, else python3)
#   MMFGSSL_VENV    venv location (default: <repo>/.venv)
#   MMFGSSL_CACHE   where the compiled mmcv wheel is kept between runs and clones
#                   (default: ${XDG_CACHE_HOME:-$HOME/.cache}/mmfgssl)
#   MAX_JOBS        parallel compile jobs for mmcv (default: number of cores)
#
# A second run is a no-op (a few seconds): a stamp of this script and requirements/ is kept in
# the venv and the stack is only re-checked, not re-installed. On GPU clusters do not use this
# script: see the README, "Installation on a GPU cluster".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MMFGSSL_VENV:-$ROOT/.venv}"
CACHE="${MMFGSSL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmfgssl}"
CONSTRAINTS="$ROOT/requirements/constraints.txt"
STAMP="$VENV/.mmfgssl-setup-stamp"

log() { printf '[setup_env] %s\n' "$*"; }
die() { printf '[setup_env] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ -z "${PYTHON:-}" ]]; then
    if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi
command -v "$PYTHON" >/dev/null 2>&1 || die "no Python interpreter '$PYTHON' (set PYTHON=...)"

stamp_of() {
    cat "$ROOT/tools/setup_env.sh" "$ROOT"/requirements/*.txt "$ROOT/setup.py" | sha256sum | cut -d' ' -f1
}

# The check that the stack is usable: versions as pinned, mmcv's compiled ops load and run.
verify() {
    "$VENV/bin/python" - "$CONSTRAINTS" <<'PY'
import importlib.metadata as md
import sys

want = {}
for line in open(sys.argv[1]):
    line = line.split('#')[0].strip()
    if '==' in line:
        name, ver = line.split('==')
        want[name] = ver
bad = [f'{n} {md.version(n)} (want {v})' for n, v in want.items()
       if n != 'setuptools' and md.version(n) != v]
if bad:
    sys.exit('version mismatch: ' + ', '.join(bad))
import torch
from mmcv.ops import RoIAlign, nms

boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 11., 11.], [50., 50., 60., 60.]])
dets, keep = nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5)
assert keep.tolist() == [0, 2], keep
out = RoIAlign((2, 2), 1.0, 0)(torch.ones(1, 1, 8, 8), torch.tensor([[0., 0., 0., 4., 4.]]))
assert torch.allclose(out, torch.ones_like(out)), out
import mmdet  # noqa: F401
import mmpretrain  # noqa: F401

import cv2
assert hasattr(cv2, 'saliency'), 'cv2 has no saliency module (opencv-contrib)'
import mmfgssl  # noqa: F401
PY
}

cd "$ROOT"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$(stamp_of)" ]] && verify >/dev/null 2>&1; then
    log "environment at $VENV is up to date (nothing to do)"
    exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating $VENV with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
pyver="$("$VENV/bin/python" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
[[ "$pyver" == cp311 ]] || log "WARNING: the pinned torch wheels are tested on Python 3.11, this is $pyver"

log "installing torch, torchvision and build tools"
"${PIP[@]}" install -q -c "$CONSTRAINTS" torch torchvision setuptools wheel ninja
"${PIP[@]}" install -q -c "$CONSTRAINTS" mmengine

# mmcv 2.1.0 is a source distribution; mmdet's detectors need its compiled ops (nms, RoIAlign).
# Its setup.py asks for C++17, torch 2.14's headers need C++20: the flag is patched in a fresh
# copy of the sdist (never in installed files) and the wheel is cached per torch version.
torch_ver="$("$VENV/bin/python" -c 'import torch; print(torch.__version__.split("+")[0])')"
wheel_dir="$CACHE/wheels/torch-$torch_ver-$pyver"
mmcv_installed="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("mmcv"))' 2>/dev/null || true)"
if [[ "$mmcv_installed" != 2.1.0 ]] || ! "$VENV/bin/python" -c 'import mmcv.ops' >/dev/null 2>&1; then
    mmcv_wheel="$(ls "$wheel_dir"/mmcv-2.1.0-*.whl 2>/dev/null | head -n1 || true)"
    if [[ -z "$mmcv_wheel" ]]; then
        build="$(mktemp -d)"
        trap 'rm -rf "$build"' EXIT
        log "building mmcv 2.1.0 with ops against torch $torch_ver (about 10-15 min on 2 cores, once)"
        "${PIP[@]}" download -q --no-deps --no-build-isolation -c "$CONSTRAINTS" mmcv==2.1.0 -d "$build"
        tar -xzf "$build"/mmcv-2.1.0.tar.gz -C "$build"
        grep -q -- '-std=c++17' "$build/mmcv-2.1.0/setup.py" || die "mmcv setup.py has no -std=c++17 to patch"
        sed -i 's/-std=c++17/-std=c++20/g' "$build/mmcv-2.1.0/setup.py"
        mkdir -p "$wheel_dir"
        (cd "$build/mmcv-2.1.0" && MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
            "${PIP[@]}" wheel -q --no-build-isolation --no-deps . -w "$build/wheel")
        cp "$build"/wheel/mmcv-2.1.0-*.whl "$wheel_dir/"
        mmcv_wheel="$(ls "$wheel_dir"/mmcv-2.1.0-*.whl | head -n1)"
    else
        log "using the cached mmcv wheel $mmcv_wheel"
    fi
    "${PIP[@]}" install -q --force-reinstall --no-deps "$mmcv_wheel"
fi

log "installing mmpretrain, mmdet, mmfgssl (editable) and the test tools"
"${PIP[@]}" install -q -c "$CONSTRAINTS" mmcv==2.1.0 mmpretrain mmdet \
    -r requirements/runtime.txt -r requirements/tests.txt
"${PIP[@]}" install -q --no-build-isolation --no-deps -e "$ROOT"

# The saliency detectors (cv2.saliency) are in OpenCV's contrib build. It installs the same `cv2`
# module as the opencv-python that mmcv pulls in, so the two must not be installed together.
if ! "$VENV/bin/python" -c 'import sys, cv2; sys.exit(not hasattr(cv2, "saliency"))' 2>/dev/null; then
    log "replacing opencv-python by opencv-contrib-python-headless (cv2.saliency)"
    "${PIP[@]}" uninstall -q -y opencv-python opencv-python-headless opencv-contrib-python
    "${PIP[@]}" install -q -c "$CONSTRAINTS" --force-reinstall --no-deps opencv-contrib-python-headless
fi

log "checking the stack (versions, mmcv ops, imports)"
verify || die "the stack does not work; see the messages above"
stamp_of >"$STAMP"
log "done: activate with 'source $VENV/bin/activate'"
