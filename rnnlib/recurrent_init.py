"""Initial parameters of a recurrent layer with G gate blocks (released after notebook 04,
whose parameter counts it would answer).

    init_recurrent(rng, D, H, gates=G) -> {"Wx": (D, G*H), "Wh": (H, G*H), "b": (G*H,)}
"""
import numpy as np


def init_recurrent(rng, D, H, gates=1, memory_gate_block=None, memory_gate_bias=1.0):
    """Xavier-scaled weights and zero biases for a layer with ``gates`` blocks.

    memory_gate_block: index of the block of the gate that decides how much of the old
    state is kept (the LSTM's forget gate; the GRU's update gate). Its bias starts at
    ``memory_gate_bias`` (LSTM: +3, so f ~ 0.95; GRU: -2, so z ~ 0.12) so that the
    state is kept from the start of training.
    """
    params = {"Wx": rng.standard_normal((D, gates * H)) / np.sqrt(D),
              "Wh": rng.standard_normal((H, gates * H)) / np.sqrt(H),
              "b": np.zeros(gates * H)}
    if memory_gate_block is not None:
        params["b"][memory_gate_block * H:(memory_gate_block + 1) * H] = memory_gate_bias
    return params
