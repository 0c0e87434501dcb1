"""Initial parameters of a recurrent layer with G gate blocks (released after notebook 04,
whose parameter counts it would answer).

    init_recurrent(rng, D, H, gates=G) -> {"Wx": (D, G*H), "Wh": (H, G*H), "b": (G*H,)}
"""
from .sequence_classifier import _init_params


def init_recurrent(rng, D, H, gates=1, memory_gate_block=None, memory_gate_bias=1.0):
    """Xavier-scaled weights and zero biases for a layer with ``gates`` blocks.

    memory_gate_block: index of the block of the gate that decides how much of the old
    state is kept (the LSTM's forget gate; the GRU's update gate). Its bias starts at
    ``memory_gate_bias`` (LSTM: +3, so f ~ 0.95; GRU: -2, so z ~ 0.12) so that the
    state is kept from the start of training.
    """
    return _init_params(rng, D, H, {"gates": gates, "memory_gate_block": memory_gate_block,
                                    "memory_gate_bias": memory_gate_bias})
