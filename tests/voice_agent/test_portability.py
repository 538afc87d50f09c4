"""The installed llama.cpp must run on every machine of the project: AVX2 baseline, no AVX-512,
no AMX (advertised by some Intel VMs that do not enable it), no VNNI (absent on AMD Zen 3)."""

from __future__ import annotations

import pytest

from voice_agent.portability import AMX, AVX512, VNNI, scan_installed


@pytest.mark.parametrize(
    ("line", "pattern"),
    [
        ("  4a1f0:\ttileloadd (%rsi,%rdx,1),%tmm0", AMX),
        ("  4a1f8:\ttdpbssd %tmm2,%tmm1,%tmm0", AMX),
        ("  4a200:\tldtilecfg (%rdi)", AMX),
        ("  51000:\tvfmadd231ps %zmm1,%zmm2,%zmm0", AVX512),
        ("  51004:\tvmovups %ymm0,(%rax){%k1}", AVX512),
        ("  52000:\t{vex} vpdpbusd %ymm2,%ymm1,%ymm0", VNNI),
    ],
)
def test_the_scan_recognises_instructions_beyond_the_baseline(line: str, pattern: object) -> None:
    assert pattern.search(line)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "line",
    [
        "  60000:\tvfmadd231ps %ymm1,%ymm2,%ymm0",
        "  60004:\tvcvtph2ps %xmm0,%ymm1",
        "  6000a:\tmovq %rsp,%rbp",
    ],
)
def test_avx2_code_is_portable(line: str) -> None:
    assert not any(p.search(line) for p in (AMX, AVX512, VNNI))


@pytest.mark.models
def test_installed_llama_cpp_has_no_instruction_beyond_the_baseline() -> None:
    scans = scan_installed()
    assert any("ggml-cpu" in s.path.name or "ggml" in s.path.name for s in scans)
    assert all(s.instructions > 1000 for s in scans if "ggml-cpu" in s.path.name)
    bad = {s.path.name: dict(s.findings) for s in scans if not s.portable}
    assert not bad, f"not portable (rebuild with `make llama`): {bad}"


def test_the_scan_flags_a_library_built_with_amx_and_avx512(tmp_path: object) -> None:
    """A native build on an AMX-advertising Xeon: the scan must catch it, or the check is void."""
    import shutil
    import subprocess
    from pathlib import Path

    from voice_agent.portability import scan_library

    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed to build the probe library"
    src = Path(str(tmp_path)) / "native.c"
    src.write_text(
        'void amx(void) { __asm__ volatile ("tilerelease"); }\n'
        'void avx512(void) { __asm__ volatile ("vaddps %zmm0, %zmm1, %zmm2"); }\n'
        "float avx2(float a, float b) { return a * b + a; }\n"
    )
    lib = src.with_suffix(".so")
    subprocess.run([gcc, "-O2", "-shared", "-fPIC", "-mavx2", "-mfma", str(src), "-o", str(lib)], check=True)
    scan = scan_library(lib)
    assert not scan.portable
    assert scan.findings["AMX"] == 1 and scan.findings["AVX-512"] == 1, scan.findings
