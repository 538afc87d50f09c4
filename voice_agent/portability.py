"""Checks that the installed llama.cpp libraries stay on the portable x86-64 baseline.

The baseline is AVX2 + FMA + F16C + BMI2, which every machine this project runs on has (AMD Zen 3
and Intel Xeon alike). A native build on an Intel Xeon that *advertises* AMX and AVX-512 compiles
kernels for them; its VM does not enable AMX, so the first real prompt dies with SIGILL. This scan
disassembles every `libggml*`/`libllama*` shared library of the installed `llama_cpp` package
(`objdump -d`) and reports instructions outside the baseline:

- AMX: tile loads/stores/config and the `tdp*` dot products;
- AVX-512: any `zmm` register or opmask (`k0`-`k7`) operand;
- AVX-VNNI / AVX512-VNNI dot products (`vpdpbusd` and friends; Zen 3 has neither).

    python -m voice_agent.portability [--strict]   # exit 1 on any finding with --strict
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

AMX = re.compile(r"\s(tileloadd\w*|tilestored|ldtilecfg|sttilecfg|tilezero|tilerelease|tdp\w+)\b")
AVX512 = re.compile(r"%zmm\d+|%k[0-7]\b")
VNNI = re.compile(r"\svpdp(busd|bssd|wssd|wusd)s?\b")
CHECKS = {"AMX": AMX, "AVX-512": AVX512, "VNNI": VNNI}


@dataclass
class LibraryScan:
    path: Path
    instructions: int = 0
    findings: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    @property
    def portable(self) -> bool:
        return not self.findings


def llama_libraries() -> list[Path]:
    """The native libraries of the installed llama_cpp package."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        raise RuntimeError("llama-cpp-python is not installed")
    package = Path(spec.origin).parent
    patterns = ("libggml*.so*", "libllama*.so*")
    found = sorted({p.resolve() for pattern in patterns for p in package.rglob(pattern)})
    libs: dict[str, Path] = {}  # a wheel holds no symlinks: libggml.so, .so.0, .so.0.25 are copies
    for path in found:
        libs.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    if not libs:
        raise RuntimeError(f"no libggml/libllama shared libraries under {package}")
    return sorted(libs.values())


def scan_library(path: Path) -> LibraryScan:
    objdump = shutil.which("objdump")
    if objdump is None:
        raise RuntimeError("objdump not found (Debian package binutils)")
    scan = LibraryScan(path)
    with subprocess.Popen(
        [objdump, "-d", "--no-show-raw-insn", str(path)], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if not line.startswith(" ") or ":\t" not in line:
                continue
            scan.instructions += 1
            for name, pattern in CHECKS.items():
                if pattern.search(line):
                    scan.findings[name] += 1
                    scan.examples.setdefault(name, line.strip())
    if proc.returncode:
        raise RuntimeError(f"objdump failed on {path} (exit {proc.returncode})")
    return scan


def scan_installed() -> list[LibraryScan]:
    return [scan_library(path) for path in llama_libraries()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when any library is not portable")
    args = parser.parse_args(argv)
    scans = scan_installed()
    for scan in scans:
        verdict = "portable" if scan.portable else "NOT PORTABLE"
        found = ", ".join(f"{k} x{v} (e.g. {scan.examples[k]})" for k, v in scan.findings.items())
        print(f"{scan.path.name}: {scan.instructions} instructions, {verdict}{': ' + found if found else ''}")
    bad = [s for s in scans if not s.portable]
    if bad and args.strict:
        print(
            "llama.cpp was built beyond the portable baseline; rebuild with `make llama`",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
