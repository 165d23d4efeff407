"""A BERT encoder as an ONNX graph written from numpy weights with `onnx.helper` (no torch).

Inputs `input_ids`, `attention_mask` [batch, tokens] (int64); outputs `token_states`
[batch, tokens, hidden] (the last layer) and `sentence` [batch, hidden] (mean over unmasked tokens,
not normalised: e5's sentence embedding before its L2 norm). The word-embedding table is stored as
int8 with one scale per row (96 MB instead of 384 MB); the MatMuls are quantised afterwards by
onnxruntime's dynamic int8 quantisation (furat.encoder.build).
"""

from __future__ import annotations

import math

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from furat.encoder.weights import E5Weights

OPSET = 17


class _Graph:
    """Collects nodes and initialisers; `op` returns the output name of the node it adds."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def op(self, op_type: str, inputs: list[str], name: str | None = None, **attrs) -> str:
        self._n += 1
        out = name or f"{op_type.lower()}_{self._n}"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=f"n{self._n}_{op_type}", **attrs))
        return out


def build_graph(w: E5Weights) -> onnx.ModelProto:
    """The float graph of the whole encoder (embeddings, `w.layers` layers, mean pooling)."""
    g = _Graph()
    H, NH = w.hidden, w.heads
    hd = H // NH
    t = w.tensors
    word = t["emb.word"]
    scale = np.maximum(np.abs(word).max(axis=1, keepdims=True), 1e-8) / 127.0
    g.const("emb.word.q", np.clip(np.rint(word / scale), -127, 127).astype(np.int8))
    g.const("emb.word.scale", scale.astype(np.float32))
    g.const("emb.pos", t["emb.pos"].astype(np.float32))
    g.const("emb.type0", t["emb.type"][0].astype(np.float32))
    for name in ("emb.ln.w", "emb.ln.b"):
        g.const(name, t[name].astype(np.float32))
    g.const("c.0", np.array(0, np.int64))
    g.const("c.1", np.array(1, np.int64))
    g.const("c.axis1", np.array([1], np.int64))
    g.const("c.shape_heads", np.array([0, 0, NH, hd], np.int64))
    g.const("c.shape_merge", np.array([0, 0, H], np.int64))
    g.const("c.scale", np.array(1.0 / math.sqrt(hd), np.float32))
    g.const("c.neg", np.array(-1e4, np.float32))
    g.const("c.one", np.array(1.0, np.float32))
    g.const("c.half", np.array(0.5, np.float32))
    g.const("c.rsqrt2", np.array(1.0 / math.sqrt(2.0), np.float32))

    # embeddings: int8 word rows × their scale + positions 0..T-1 + token type 0, then LayerNorm
    wq = g.op("Gather", ["emb.word.q", "input_ids"])
    ws = g.op("Gather", ["emb.word.scale", "input_ids"])  # [B, T, 1]
    x = g.op("Mul", [g.op("Cast", [wq], to=TensorProto.FLOAT), ws])
    seq_len = g.op("Gather", [g.op("Shape", ["input_ids"]), "c.1"])
    positions = g.op("Range", ["c.0", seq_len, "c.1"])
    x = g.op("Add", [x, g.op("Gather", ["emb.pos", positions])])
    x = g.op("Add", [x, "emb.type0"])
    x = g.op("LayerNormalization", [x, "emb.ln.w", "emb.ln.b"], axis=-1, epsilon=w.eps)

    # additive attention mask [B, 1, 1, T]: 0 on tokens, -1e4 on padding
    maskf = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    bias = g.op("Mul", [g.op("Sub", ["c.one", maskf]), "c.neg"])
    bias = g.op("Unsqueeze", [g.op("Unsqueeze", [bias, "c.axis1"]), "c.axis1"])

    def linear(inp: str, name: str) -> str:
        wt = g.const(f"{name}.wT", np.ascontiguousarray(t[f"{name}.w"].T.astype(np.float32)))
        b = g.const(f"{name}.b", t[f"{name}.b"].astype(np.float32))
        return g.op("Add", [g.op("MatMul", [inp, wt]), b])

    def heads(inp: str) -> str:  # [B, T, H] → [B, NH, T, hd]
        return g.op("Transpose", [g.op("Reshape", [inp, "c.shape_heads"])], perm=[0, 2, 1, 3])

    for i in range(w.layers):
        p = f"l{i}"
        for name in ("aln.w", "aln.b", "oln.w", "oln.b"):
            g.const(f"{p}.{name}", t[f"{p}.{name}"].astype(np.float32))
        q = heads(linear(x, f"{p}.q"))
        k = g.op("Transpose", [g.op("Reshape", [linear(x, f"{p}.k"), "c.shape_heads"])], perm=[0, 2, 3, 1])
        v = heads(linear(x, f"{p}.v"))
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), "c.scale"]), bias])
        probs = g.op("Softmax", [scores], axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        ctx = g.op("Reshape", [ctx, "c.shape_merge"])
        x = g.op("LayerNormalization", [g.op("Add", [x, linear(ctx, f"{p}.ao")]), f"{p}.aln.w", f"{p}.aln.b"],
                 axis=-1, epsilon=w.eps)
        h = linear(x, f"{p}.fi")
        # exact GELU, 0.5·h·(1 + erf(h/√2)): onnxruntime fuses this pattern into its Gelu kernel
        h = g.op("Mul", [g.op("Mul", [h, "c.half"]),
                         g.op("Add", [g.op("Erf", [g.op("Mul", [h, "c.rsqrt2"])]), "c.one"])])
        x = g.op("LayerNormalization", [g.op("Add", [x, linear(h, f"{p}.fo")]), f"{p}.oln.w", f"{p}.oln.b"],
                 axis=-1, epsilon=w.eps)
    states = g.op("Identity", [x], name="token_states")
    m3 = g.op("Unsqueeze", [maskf, g.const("c.axis2", np.array([2], np.int64))])  # [B, T, 1]
    summed = g.op("ReduceSum", [g.op("Mul", [states, m3]), "c.axis1"], keepdims=0)
    count = g.op("ReduceSum", [maskf, "c.axis1"], keepdims=1)
    g.op("Div", [summed, count], name="sentence")

    graph = helper.make_graph(
        g.nodes, "e5_encoder",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("token_states", TensorProto.FLOAT, ["batch", "tokens", H]),
         helper.make_tensor_value_info("sentence", TensorProto.FLOAT, ["batch", H])],
        g.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="furat.encoder")
    model.ir_version = 8
    return model
