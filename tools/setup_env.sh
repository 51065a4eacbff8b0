#!/usr/bin/env bash
# Create (or bring up to date) the repository's .venv with the pinned OpenMMLab stack.
#
# Usage: bash tools/setup_env.sh [--detection]
#   (default)    the pre-training stack: torch 2.14.1 + torchvision 0.29.1, mmengine 0.10.7,
#                mmcv-lite 2.1.0 (mmcv without compiled ops: pre-training, the transforms and the
#                evaluation use none), mmpretrain 1.2.0, OpenCV's contrib build (cv2.saliency),
#                mmfgssl installed editable with its test tools. About 2-3 minutes from nothing.
#   --detection  also detection transfer (configs/benchmarks/mmdetection): mmcv 2.1.0 compiled
#                with its ops against that torch (in place of mmcv-lite; built once, about
#                10-15 minutes on 2 cores, then cached) and mmdet 3.3.0. tools/run_tests.sh and
#                CI use it. Once a venv has the detection stack, a plain run keeps it.
# Environment:
#   PYTHON             interpreter to build the venv from (default: python3.11, else python3)
#   MMFGSSL_VENV       venv location (default: <repo>/.venv)
#   MMFGSSL_CACHE      where the compiled mmcv wheel is kept between runs and clones
#                      (default: ${XDG_CACHE_HOME:-$HOME/.cache}/mmfgssl)
#   MMFGSSL_DETECTION  1: as --detection
#   MAX_JOBS           parallel compile jobs for mmcv (default: number of cores)
#
# A second run is a no-op (a few seconds): a stamp of this script, requirements/ and the stack
# (pre-training or detection) is kept in the venv and the stack is only re-checked, not
# re-installed. On GPU clusters do not use this script: see the README, "Installation on a GPU
# cluster".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MMFGSSL_VENV:-$ROOT/.venv}"
CACHE="${MMFGSSL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmfgssl}"
CONSTRAINTS="$ROOT/requirements/constraints.txt"
STAMP="$VENV/.mmfgssl-setup-stamp"

log() { printf '[setup_env] %s\n' "$*"; }
die() { printf '[setup_env] ERROR: %s\n' "$*" >&2; exit 1; }

STACK=pretrain
[[ "${MMFGSSL_DETECTION:-0}" == 1 ]] && STACK=detection
for arg in "$@"; do
    case "$arg" in
        --detection) STACK=detection ;;
        -h | --help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$arg' (usage: bash tools/setup_env.sh [--detection])" ;;
    esac
done

if [[ -z "${PYTHON:-}" ]]; then
    if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi
command -v "$PYTHON" >/dev/null 2>&1 || die "no Python interpreter '$PYTHON' (set PYTHON=...)"

# What a venv holds: "detection" where the compiled mmcv (not mmcv-lite) is installed.
installed_stack() {
    "$VENV/bin/python" - <<'PY' 2>/dev/null || echo none
import importlib.metadata as md
try:
    md.version('mmcv')
except md.PackageNotFoundError:
    print('pretrain')
else:
    print('detection')
PY
}
if [[ "$STACK" == pretrain && -x "$VENV/bin/python" && "$(installed_stack)" == detection ]]; then
    STACK=detection  # a plain run never takes the detection stack away
fi

stamp_of() {
    { cat "$ROOT/tools/setup_env.sh" "$ROOT"/requirements/*.txt "$ROOT/setup.py"; echo "$STACK"; } |
        sha256sum | cut -d' ' -f1
}

# The check that the stack is usable: versions as pinned, the imports pre-training needs, and for
# the detection stack mmcv's compiled ops (they load and run) and mmdet.
verify() {
    "$VENV/bin/python" - "$CONSTRAINTS" "$STACK" <<'PY'
import importlib.metadata as md
import sys

constraints, stack = sys.argv[1:]
want = {}
for line in open(constraints):
    line = line.split('#')[0].strip()
    if '==' in line:
        name, ver = line.split('==')
        want[name] = ver
mmcv_dist = 'mmcv' if stack == 'detection' else 'mmcv-lite'
need = ['torch', 'torchvision', 'mmengine', mmcv_dist, 'mmpretrain',
        'opencv-contrib-python-headless']
if stack == 'detection':
    need.append('mmdet')
bad = []
for name in need:
    try:
        have = md.version(name)
    except md.PackageNotFoundError:
        have = 'not installed'
    if have != want[name]:
        bad.append(f'{name} {have} (want {want[name]})')
for opencv in ('opencv-python', 'opencv-python-headless',
               'opencv-contrib-python'):
    try:
        bad.append(f'{opencv} {md.version(opencv)} installed beside '
                   'opencv-contrib-python-headless (both install `cv2`)')
    except md.PackageNotFoundError:
        pass
other = 'mmcv-lite' if stack == 'detection' else 'mmcv'
try:
    bad.append(f'{other} {md.version(other)} installed beside {mmcv_dist} '
               '(both install the `mmcv` module)')
except md.PackageNotFoundError:
    pass
if bad:
    sys.exit('version mismatch: ' + ', '.join(bad))
import torch

import mmpretrain  # noqa: F401
if stack == 'detection':
    from mmcv.ops import RoIAlign, nms

    boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 11., 11.], [50., 50., 60., 60.]])
    dets, keep = nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5)
    assert keep.tolist() == [0, 2], keep
    out = RoIAlign((2, 2), 1.0, 0)(torch.ones(1, 1, 8, 8), torch.tensor([[0., 0., 0., 4., 4.]]))
    assert torch.allclose(out, torch.ones_like(out)), out
    import mmdet  # noqa: F401

import cv2
assert hasattr(cv2, 'saliency'), 'cv2 has no saliency module (opencv-contrib)'
import mmfgssl  # noqa: F401
PY
}

cd "$ROOT"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$(stamp_of)" ]] && verify >/dev/null 2>&1; then
    log "environment at $VENV is up to date ($STACK stack; nothing to do)"
    exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating $VENV with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
pyver="$("$VENV/bin/python" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
[[ "$pyver" == cp311 ]] || log "WARNING: the pinned torch wheels are tested on Python 3.11, this is $pyver"
log "setting up the $STACK stack"

log "installing torch, torchvision and build tools"
"${PIP[@]}" install -q -c "$CONSTRAINTS" torch torchvision setuptools wheel
"${PIP[@]}" install -q -c "$CONSTRAINTS" mmengine

if [[ "$STACK" == pretrain ]]; then
    # mmcv's Python part (transforms, image I/O, cnn bricks) is all that pre-training imports.
    "${PIP[@]}" install -q -c "$CONSTRAINTS" mmcv-lite
else
    # mmcv 2.1.0 is a source distribution; mmdet's detectors need its compiled ops (nms,
    # RoIAlign). Its setup.py asks for C++17, torch 2.14's headers need C++20: the flag is
    # patched in a fresh copy of the sdist (never in installed files) and the wheel is cached
    # per torch version.
    torch_ver="$("$VENV/bin/python" -c 'import torch; print(torch.__version__.split("+")[0])')"
    wheel_dir="$CACHE/wheels/torch-$torch_ver-$pyver"
    mmcv_installed="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("mmcv"))' 2>/dev/null || true)"
    if [[ "$mmcv_installed" != 2.1.0 ]] || ! "$VENV/bin/python" -c 'import mmcv.ops' >/dev/null 2>&1; then
        mmcv_wheel="$(ls "$wheel_dir"/mmcv-2.1.0-*.whl 2>/dev/null | head -n1 || true)"
        if [[ -z "$mmcv_wheel" ]]; then
            "${PIP[@]}" install -q -c "$CONSTRAINTS" ninja
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
        # mmcv-lite installs the same `mmcv` module: the compiled wheel replaces it
        "${PIP[@]}" uninstall -q -y mmcv-lite 2>/dev/null || true
        "${PIP[@]}" install -q --force-reinstall --no-deps "$mmcv_wheel"
    fi
fi

log "installing mmpretrain$([[ "$STACK" == detection ]] && echo ', mmdet'), mmfgssl (editable) and the test tools"
extra=()
[[ "$STACK" == detection ]] && extra=(mmcv==2.1.0 mmdet)
"${PIP[@]}" install -q -c "$CONSTRAINTS" mmpretrain "${extra[@]}" \
    -r requirements/runtime.txt -r requirements/tests.txt
"${PIP[@]}" install -q --no-build-isolation --no-deps -e "$ROOT"

# The saliency detectors (cv2.saliency) are in OpenCV's contrib build. It installs the same `cv2`
# module as the opencv-python that mmcv pulls in, so the two must not be installed together: a later
# install of opencv-python over the contrib build leaves a cv2 with a partial saliency module.
OTHER_OPENCV=(opencv-python opencv-python-headless opencv-contrib-python)
if "$VENV/bin/python" -m pip --disable-pip-version-check show -q "${OTHER_OPENCV[@]}" >/dev/null 2>&1 ||
    ! "$VENV/bin/python" -c 'import sys, cv2; sys.exit(not hasattr(cv2, "saliency"))' 2>/dev/null; then
    log "replacing opencv-python by opencv-contrib-python-headless (cv2.saliency)"
    "${PIP[@]}" uninstall -q -y "${OTHER_OPENCV[@]}"
    "${PIP[@]}" install -q -c "$CONSTRAINTS" --force-reinstall --no-deps opencv-contrib-python-headless
fi

log "checking the stack (versions, imports$([[ "$STACK" == detection ]] && echo ', mmcv ops'))"
verify || die "the stack does not work; see the messages above"
stamp_of >"$STAMP"
if [[ "$STACK" == pretrain ]]; then
    log "done (pre-training stack; for detection transfer: bash tools/setup_env.sh --detection)"
else
    log "done (pre-training and detection stack)"
fi
log "activate with 'source $VENV/bin/activate'"
