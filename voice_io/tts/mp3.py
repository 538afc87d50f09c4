"""Incremental MP3 → PCM s16le mono decoding with PyAV, for streamed TTS audio."""

from __future__ import annotations

import logging

import av
import av.audio.resampler

logger = logging.getLogger(__name__)


class Mp3Decoder:
    """Feed MP3 bytes as they arrive; get PCM s16le mono at `sample_rate` back."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._codec: av.AudioCodecContext = av.CodecContext.create("mp3", "r")
        self._resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=sample_rate)

    def decode(self, data: bytes) -> bytes:
        out = bytearray()
        for packet in self._codec.parse(data):
            out += self._decode_packet(packet)
        return bytes(out)

    def flush(self) -> bytes:
        """Drain the parser, decoder and resampler at the end of the stream."""
        out = bytearray()
        for packet in self._codec.parse(b""):
            out += self._decode_packet(packet)
        for frame in self._codec.decode(None):
            out += self._resample(frame)
        out += self._resample(None)
        return bytes(out)

    def _decode_packet(self, packet: av.Packet) -> bytes:
        try:
            frames = self._codec.decode(packet)
        except av.error.InvalidDataError:
            # tags (ID3) and damaged frames: skip them, keep the stream going
            logger.debug("skipping %d bytes of undecodable MP3 data", packet.size)
            return b""
        return b"".join(self._resample(frame) for frame in frames)

    def _resample(self, frame: av.AudioFrame | None) -> bytes:
        return b"".join(f.to_ndarray().tobytes() for f in self._resampler.resample(frame))
