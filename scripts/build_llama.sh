#!/usr/bin/env bash
# Builds llama-cpp-python for a portable x86-64 baseline (AVX2/FMA/F16C/BMI2; no AVX-512, no AMX,
# no -march=native) into a wheelhouse this project owns, keyed by version and flags, then installs
# that wheel into the venv. pip's own wheel cache ignores CMAKE_ARGS, so it is never used here.
#
#   scripts/build_llama.sh VENV_PYTHON
set -euo pipefail
PY="${1:?usage: build_llama.sh VENV_PYTHON}"
VERSION="${LLAMA_CPP_VERSION:-0.3.36}"
FLAGS="-DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF \
-DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
-DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF \
-DGGML_AVX512_BF16=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF \
-DLLAVA_BUILD=OFF"
KEY="$(printf '%s %s' "$VERSION" "$FLAGS" | sha256sum | cut -c1-12)"
HOUSE="${LLAMA_WHEELHOUSE:-$HOME/.cache/voice-agent/wheels}/llama-cpp-python-$VERSION-$KEY"

if ! ls "$HOUSE"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    echo "building llama-cpp-python $VERSION (portable: $KEY) into $HOUSE; ~8 min on 2 cores" >&2
    rm -rf "$HOUSE.tmp" && mkdir -p "$HOUSE.tmp"
    CMAKE_ARGS="$FLAGS" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" FORCE_CMAKE=1 \
        "$PY" -m pip wheel --no-deps --no-cache-dir --no-binary llama-cpp-python \
        -w "$HOUSE.tmp" "llama-cpp-python==$VERSION"
    printf '%s\n' "$FLAGS" >"$HOUSE.tmp/FLAGS"
    rm -rf "$HOUSE" && mv "$HOUSE.tmp" "$HOUSE"
fi
"$PY" -m pip install -q --no-deps --force-reinstall "$HOUSE"/llama_cpp_python-*.whl
# prove the flags took effect: no AMX, AVX-512 or VNNI instruction in the installed libraries
"$PY" "$(dirname "$0")/../voice_agent/portability.py" --strict
