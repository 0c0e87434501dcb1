"""The trained seq2seq models that ship with the course (rnnlib/weights/*.npz).

They are made by ``python scripts/train_seq2seq_weights.py`` (seeded; see the README for
its run time). Each file holds the model's configuration, its parameters (float32), the
character vocabulary and the per-epoch training history.

    run = load("addition_reversed_peeky", embed=embedding_lookup)   # yours, notebook 06
    run.answer(["16+75"])                   # ['91']
    run.history["accuracy"]                 # held-out exact match after each epoch
    questions, answers = run.held_out()     # the held-out set it was scored on
    run.exact_match(questions, answers)

The attention model needs the attention functions (notebook 08 uses yours):
``load("dates_attention", embed=..., attention=AttentionFunctions(...))``. Every model
looks its characters up with the ``embed`` function it is given (notebook 06: your
``embedding_lookup``; from notebook 07 on, ``rnnlib.embedding_lookup.embedding_forward``).
"""
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import datasets
from .attention_seq2seq import AttentionSeq2seq
from .char_vocab import CharVocab
from .progress import tqdm
from .seq2seq import PeekySeq2seq, Seq2seq

WEIGHTS_DIR = Path(__file__).parent / "weights"
NAMES = ("addition_baseline", "addition_reversed", "addition_reversed_peeky",
         "dates_seq2seq", "dates_reversed_peeky", "dates_attention")
MODEL_CLASSES = {cls.kind: cls for cls in (Seq2seq, PeekySeq2seq, AttentionSeq2seq)}
REGENERATE = "python scripts/train_seq2seq_weights.py"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # the fixed date of every member of a weights file


@dataclass
class PretrainedSeq2seq:
    """A trained model with what it needs to read and write strings.

    config: sizes, task, dataset seed and sizes, whether questions are reversed;
    history: {"accuracy": [...], "loss": [...]} per epoch (held-out exact match).
    """
    name: str
    model: Seq2seq
    vocab: CharVocab
    config: dict
    history: dict

    @property
    def start_id(self):
        return self.vocab.id_of(datasets.START)

    def encode_questions(self, questions):
        """Questions (strings) -> (N, T) ids: padded to the task's width, reversed if the
        model was trained on reversed questions."""
        width = self.config["question_width"]
        too_long = [q for q in questions if len(q.rstrip()) > width]
        if too_long:
            raise ValueError(f"{self.name}: questions longer than {width} characters: "
                             f"{too_long[:3]}")
        ids = self.vocab.encode([q.rstrip().ljust(width) for q in questions])
        return ids[:, ::-1] if self.config["reverse_input"] else ids

    def encode_answers(self, answers):
        """Answers as the datasets write them ("_91  ") -> (N, 1 + L) ids."""
        return self.vocab.encode(answers)

    def answer(self, questions, batch_size=250):
        """The model's greedy answers, as stripped strings (a progress bar when there is
        more than one batch of ``batch_size`` questions)."""
        questions = list(questions)
        starts = range(0, len(questions), batch_size)
        answers = []
        for start in tqdm(starts, desc=f"{self.name}: answering", unit="batch",
                          disable=len(starts) < 2):
            ids = self.model.generate(self.encode_questions(questions[start:start + batch_size]),
                                      self.start_id, self.config["answer_length"])
            answers += [s.strip() for s in self.vocab.decode(ids)]
        return answers

    def exact_match(self, questions, answers):
        """Share of questions whose whole answer is right."""
        predicted = self.answer(questions)
        return float(np.mean([p == a.lstrip(datasets.START).strip()
                              for p, a in zip(predicted, answers)]))

    def held_out(self, n=None):
        """The held-out (questions, answers) the history was scored on (first n of them)."""
        _, (questions, answers) = make_dataset(self.config)
        return questions[:n], answers[:n]


def make_dataset(config):
    """((train questions, answers), (held-out questions, answers)) for a model's config."""
    make = {"addition": datasets.addition_dataset, "dates": datasets.date_dataset}[config["task"]]
    return make(config["data_seed"], config["n_train"], config["n_test"])


def weights_path(name):
    return WEIGHTS_DIR / f"{name}.npz"


def save(path, model, vocab, config, history):
    """Write one compressed .npz: config (JSON), vocabulary, float32 parameters, history.

    The file depends only on its contents: every member of the zip carries the same fixed
    date (np.savez_compressed stamps the current time), so a re-run of the seeded training
    script writes the same bytes.
    """
    arrays = {f"param/{k}": v.astype(np.float32) for k, v in model.params.items()}
    arrays.update({f"history/{k}": np.asarray(v, dtype=np.float32)
                   for k, v in history.items() if k in ("accuracy", "loss")})
    config = dict(config, **model.config, vocab=vocab.chars)
    arrays = {"config": np.array(json.dumps(config)), **arrays}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, value in arrays.items():
            member = zipfile.ZipInfo(f"{key}.npy", date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asanyarray(value), allow_pickle=False)
            archive.writestr(member, buffer.getvalue())


def load(name, *, embed, attention=None, dtype=np.float32):
    """The shipped model ``name`` (one of NAMES) as a PretrainedSeq2seq.

    embed: the embedding lookup embed(W, ids) -> W[ids];
    attention: AttentionFunctions, required for the attention model;
    dtype: of the model's parameters and arithmetic (the files store float32).
    """
    path = weights_path(name)
    if not path.exists():
        raise FileNotFoundError(f"no trained weights for {name!r}: {path} is missing. "
                                f"Regenerate them with `{REGENERATE}` (from the repository root).")
    with np.load(path, allow_pickle=False) as data:
        config = json.loads(str(data["config"]))
        params = {k.removeprefix("param/"): data[k].astype(dtype)
                  for k in data.files if k.startswith("param/")}
        history = {k.removeprefix("history/"): data[k].tolist()
                   for k in data.files if k.startswith("history/")}
    sizes = (config["vocab_size"], config["embed_size"], config["hidden_size"])
    if config["kind"] == AttentionSeq2seq.kind:
        if attention is None:
            raise ValueError(f"{name} is an attention model: "
                             "pass attention=AttentionFunctions(...)")
        model = AttentionSeq2seq(*sizes, attention=attention, embed=embed, dtype=dtype)
    else:
        model = MODEL_CLASSES[config["kind"]](*sizes, embed=embed, dtype=dtype)
    model.params.update(params)
    return PretrainedSeq2seq(name, model, CharVocab(config["vocab"]), config, history)
