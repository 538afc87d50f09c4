"""End-of-turn models (`voice_io.protocols.EndOfTurn`): smart-turn v3.2 on onnxruntime."""
