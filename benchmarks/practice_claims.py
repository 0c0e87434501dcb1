"""Train every contrast a practice section states, at the notebook's own settings, over
several seeds and with one and with two BLAS threads; print each claim with its per-seed
figures and exit non-zero when one fails.

    python benchmarks/practice_claims.py                  # the full run (README quotes it)
    python benchmarks/practice_claims.py --quick          # what CI runs (tests/benchmarks)
    python benchmarks/practice_claims.py --only 03 05 --threads 1 --seeds 0 1 2 3 4 5 6

The claims (notebook: what its text says; how it is checked, for every seed):

* 01 binary addition: the notes' settings learn exact sums: every one of the 256 held-out
  sums exact within the 10,000 iterations;
* 03 memory: on the marked-symbol recall over 59 distracting steps, the simple RNN stays
  near chance (final held-out accuracy <= 0.35, chance 0.25) and the student's LSTM (the
  hidden reference functions, as a student's correct answers compute them) learns it
  (>= 0.95);
* 04 memory: the same with the course LSTM and the student's GRU;
* 05 tagging: the forward-only tagger stays near chance (<= 0.40; chance on 11 of the 12
  steps gives 0.31) and the bidirectional one with the student's forward pass learns the
  task (>= 0.95);
* 06 addition: held-out exact match after the shipped models' training (20 epochs):
  baseline < reversed < reversed + peeky;
* 08 dates: after the shipped models' training (8 epochs), attention (the reference
  attention functions) beats the plain seq2seq.

The seed is the one the notebook passes (its default is 0): the model's initial weights
and the order of the training examples; the held-out sets stay fixed. Each thread count
runs in its own process (the BLAS reads OPENBLAS_NUM_THREADS / OMP_NUM_THREADS when numpy
loads). 01, 03, 04 and 05 are the fast claims (about 2 minutes per thread count for 5
seeds on an idle core); 06 and 08 train full seq2seq models (about a minute per model).

--quick (what CI runs; about 4 minutes on an idle machine): the fast claims with seeds 0-4
on one thread and seed 0 on two threads, and the slow claims with seed 0 on one thread.
The same subset every day, so a CI run does not depend on the date; nothing is switched
off: every claim is trained and checked, the full run checks the other seeds and thread
counts.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

# thresholds of the claims (final held-out accuracy)
CHANCE_BOUND_RECALL = 0.35   # 4 symbols: chance 0.25
LEARNT = 0.95
CHANCE_BOUND_TAGGING = 0.40  # chance on 11 of 12 steps, the last one free: 0.3125
# The practice of notebooks 03 and 04, as their cells write it (tests/benchmarks checks
# that the notebooks' sources say the same).
RECALL = {"T": 60, "n_symbols": 4, "hidden_size": 32, "iterations": 200, "batch_size": 32,
          "lstm_forget_bias": 5.0, "gru_update_bias": -2.0}


# --- the claims: each trains one seed and returns {figure name: value} -------------------

def binary_addition_01(seed):
    """Notebook 01, section 7: AdderConfig() stops at the first perfect held-out check."""
    from rnnlib.binary_adder import AdderConfig, train_binary_adder
    run = train_binary_adder(AdderConfig(stop_when_perfect=True, seed=seed), progress=False)
    first = run.first_perfect_iteration()
    return {"all 256 exact at iteration": first, "final exact": run.accuracies[-1]}


def _recall_settings():
    """Notebooks 03 and 04, practice: the task and the trainer's settings."""
    from rnnlib.datasets import first_token_recall
    return (partial(first_token_recall, T=RECALL["T"], n_symbols=RECALL["n_symbols"]),
            {k: RECALL[k] for k in ("hidden_size", "iterations", "batch_size")})


def _final_and_first(runs, gated):
    """{name: final accuracy} and, for the gated models, the first sampled iteration at
    which they reached the LEARNT bar (how much of the budget the claim has to spare)."""
    figures = {name: run.accuracies[-1] for name, run in runs.items()}
    for name in gated:
        run = runs[name]
        figures[f"{name} >= {LEARNT} at"] = next(
            (it for it, a in zip(run.iterations, run.accuracies) if a >= LEARNT), None)
    return figures


def memory_03(seed):
    """Notebook 03, section 11: the simple RNN and your LSTM, clipped by your
    clip_grads_global."""
    from autograder.items.lstm import (
        clip_global_reference,
        lstm_backward_reference,
        lstm_forward_reference,
    )
    from rnnlib.rnn_layer_backward import RNN
    from rnnlib.sequence_classifier import layer_from_functions, train_last_step_classifier
    recall, settings = _recall_settings()
    your_lstm = layer_from_functions(lstm_forward_reference, lstm_backward_reference, gates=4,
                                     memory_gate_block=1,
                                     memory_gate_bias=RECALL["lstm_forget_bias"])
    runs = {name: train_last_step_classifier(name, layer, recall, n_classes=4, seed=seed,
                                             clip=clip_global_reference, progress=False,
                                             **settings)
            for name, layer in [("simple RNN", RNN), ("your LSTM", your_lstm)]}
    return _final_and_first(runs, ["your LSTM"])


def memory_04(seed):
    """Notebook 04, section 7: the simple RNN, the course LSTM and your GRU."""
    from autograder.items.gru import gru_backward_reference, gru_forward_reference
    from rnnlib.clipping import clip_global_norm
    from rnnlib.lstm_layer import LSTM
    from rnnlib.rnn_layer_backward import RNN
    from rnnlib.sequence_classifier import layer_from_functions, train_last_step_classifier
    recall, settings = _recall_settings()
    lstm = dict(LSTM, memory_gate_bias=RECALL["lstm_forget_bias"])
    your_gru = layer_from_functions(gru_forward_reference, gru_backward_reference, gates=3,
                                    memory_gate_block=0,
                                    memory_gate_bias=RECALL["gru_update_bias"])
    runs = {name: train_last_step_classifier(name, layer, recall, n_classes=4, seed=seed,
                                             clip=clip_global_norm, progress=False,
                                             **settings)
            for name, layer in [("simple RNN", RNN), ("LSTM", lstm), ("your GRU", your_gru)]}
    return _final_and_first(runs, ["LSTM", "your GRU"])


def tagging_05(seed):
    """Notebook 05, section 4: forward-only vs bidirectional with your forward pass."""
    from autograder.items.bidirectional import bidirectional_rnn_forward_reference
    from rnnlib.datasets import next_symbol_tagging
    from rnnlib.tagger import train_tagger
    tagging = partial(next_symbol_tagging, T=12, n_symbols=4)
    return {name: train_tagger(name, forward, tagging, n_classes=4, seed=seed,
                               progress=False).accuracies[-1]
            for name, forward in [("forward only", None),
                                  ("bidirectional", bidirectional_rnn_forward_reference)]}


def _train_shipped_setting(name, seed):
    """Train the model of the shipped weights file ``name`` from scratch with its recorded
    configuration (data, sizes, epochs, learning rate), initial weights and example order
    from ``seed``; returns the held-out exact match after the last epoch."""
    from autograder.items import attention as reference
    from rnnlib import pretrained
    from rnnlib.attention_seq2seq import AttentionFunctions, AttentionSeq2seq
    from rnnlib.datasets import START
    from rnnlib.embedding_lookup import embedding_forward
    from rnnlib.seq2seq import PeekySeq2seq, Seq2seq
    from rnnlib.seq2seq_training import train_seq2seq
    attention = AttentionFunctions(
        reference.attention_weights_reference, reference.attention_weights_backward_reference,
        reference.context_vector_reference, reference.context_vector_backward_reference)
    shipped = pretrained.load(name, embed=embedding_forward,
                              attention=attention if "attention" in name else None)
    config, vocab = shipped.config, shipped.vocab
    sizes = (len(vocab), config["embed_size"], config["hidden_size"])
    if "attention" in name:
        model = AttentionSeq2seq(*sizes, attention=attention, embed=embedding_forward, seed=seed)
    else:
        model_class = PeekySeq2seq if "peeky" in name else Seq2seq
        model = model_class(*sizes, embed=embedding_forward, seed=seed)
    (train_q, train_a), (test_q, test_a) = pretrained.make_dataset(config)

    def encode(questions, answers):
        x = vocab.encode(questions)
        return (x[:, ::-1] if config["reverse_input"] else x), vocab.encode(answers)

    history = train_seq2seq(model, encode(train_q, train_a), encode(test_q, test_a),
                            vocab.id_of(START), config["epochs"], config["batch_size"],
                            config["lr"], config["lr_decay"], seed=seed, name=name,
                            progress=False)
    return history["accuracy"][-1]


def addition_06(seed):
    """Notebook 06, section 6: the three addition models of the shipped weights."""
    return {label: _train_shipped_setting(name, seed) for label, name in [
        ("baseline", "addition_baseline"), ("reversed", "addition_reversed"),
        ("reversed + peeky", "addition_reversed_peeky")]}


def dates_08(seed):
    """Notebook 08, section 8: the plain seq2seq and the attention model on dates."""
    return {label: _train_shipped_setting(name, seed) for label, name in [
        ("seq2seq", "dates_seq2seq"), ("attention", "dates_attention")]}


@dataclass(frozen=True)
class Claim:
    key: str
    statement: str
    train: object
    check: object  # figures -> bool
    slow: bool = False


CLAIMS = [
    Claim("01", "01 binary addition: the notes' settings get every held-out sum exact "
          "within 10,000 iterations", binary_addition_01,
          lambda f: f["all 256 exact at iteration"] is not None),
    Claim("03", f"03 memory: simple RNN <= {CHANCE_BOUND_RECALL} (chance 0.25), "
          f"your LSTM >= {LEARNT}", memory_03,
          lambda f: f["simple RNN"] <= CHANCE_BOUND_RECALL and f["your LSTM"] >= LEARNT),
    Claim("04", f"04 memory: simple RNN <= {CHANCE_BOUND_RECALL}, LSTM and your GRU "
          f">= {LEARNT}", memory_04,
          lambda f: (f["simple RNN"] <= CHANCE_BOUND_RECALL and f["LSTM"] >= LEARNT
                     and f["your GRU"] >= LEARNT)),
    Claim("05", f"05 tagging: forward only <= {CHANCE_BOUND_TAGGING} (chance 0.31), "
          f"bidirectional >= {LEARNT}", tagging_05,
          lambda f: f["forward only"] <= CHANCE_BOUND_TAGGING and f["bidirectional"] >= LEARNT),
    Claim("06", "06 addition: baseline < reversed < reversed + peeky (held-out exact "
          "match)", addition_06,
          lambda f: f["baseline"] < f["reversed"] < f["reversed + peeky"], slow=True),
    Claim("08", "08 dates: attention > plain seq2seq (held-out exact match)", dates_08,
          lambda f: f["attention"] > f["seq2seq"], slow=True),
]
BY_KEY = {c.key: c for c in CLAIMS}


# --- worker: one thread count, in its own process ------------------------------------------

def worker(keys, seeds):
    """Train the claims ``keys`` for each seed; one JSON line per (claim, seed)."""
    sys.path.insert(0, str(ROOT))
    for key in keys:
        for seed in seeds:
            start = time.perf_counter()
            figures = BY_KEY[key].train(seed)
            print(json.dumps({"claim": key, "seed": seed, "figures": figures,
                              "seconds": round(time.perf_counter() - start, 1)}), flush=True)


def run_with_threads(threads, keys, seeds):
    """Run the worker with ``threads`` BLAS threads; yields its results as they come."""
    env = dict(os.environ, **{v: str(threads) for v in THREAD_VARIABLES})
    command = [sys.executable, str(Path(__file__).resolve()), "--worker",
               "--only", *keys, "--seeds", *map(str, seeds)]
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                          text=True) as process:
        for line in process.stdout:
            yield json.loads(line)
    if process.returncode != 0:
        raise RuntimeError(f"the worker with {threads} thread(s) failed "
                           f"(exit {process.returncode})")


def format_figures(figures):
    return ", ".join(f"{name} {value:.3f}" if isinstance(value, float) else f"{name} {value}"
                     for name, value in figures.items())


def plan(args):
    """[(threads, claim keys, seeds)] to run."""
    keys = args.only or [c.key for c in CLAIMS]
    if not args.quick:
        return [(t, keys, args.seeds) for t in args.threads]
    fast = [k for k in keys if not BY_KEY[k].slow]
    slow = [k for k in keys if BY_KEY[k].slow]
    runs = [(1, fast, [0, 1, 2, 3, 4]), (2, fast, [0]), (1, slow, [0])]
    return [(t, k, s) for t, k, s in runs if k]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=sorted(BY_KEY), help="these claims only")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--quick", action="store_true",
                        help="CI's subset: fewer seeds (see the module docstring)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.only, args.seeds)
        return 0
    failed, start = [], time.perf_counter()
    for threads, keys, seeds in plan(args):
        print(f"== BLAS threads: {threads}; seeds {', '.join(map(str, seeds))}", flush=True)
        shown = None
        for result in run_with_threads(threads, keys, seeds):
            claim = BY_KEY[result["claim"]]
            if claim.key != shown:
                print(f"{claim.statement}", flush=True)
                shown = claim.key
            ok = claim.check(result["figures"])
            if not ok:
                failed.append((claim.key, threads, result["seed"]))
            print(f"  seed {result['seed']}: {format_figures(result['figures'])}  "
                  f"[{'ok' if ok else 'FAILS'}; {result['seconds']:.1f} s]", flush=True)
    print(f"\n{'all claims hold' if not failed else 'FAILED: ' + str(failed)} "
          f"({time.perf_counter() - start:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
