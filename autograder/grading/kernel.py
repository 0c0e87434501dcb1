"""A student's kernel, sandboxed, driven cell by cell with time limits and restarts."""
import json
import os
import queue
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbformat.v4 import output_from_msg

from autograder.grading.protocol import MAX_PAYLOAD_BYTES, MIME, TOO_LARGE
from autograder.grading.sandbox import ROOT, UidLease, kernel_argv

SPEC_NAME = "rnn-course-sandbox"
# the note that replaces a cell's output past settings.max_output_chars, in the class's
# language; None: the language was not given (both, so a Japanese class can read it too)
OUTPUT_CUT = {"en": "[output cut: too long]\n", "ja": "[出力が長すぎるため省略しました]\n",
              None: "[output cut: too long / 出力が長すぎるため省略]\n"}


@dataclass
class RunResult:
    status: str  # "ok", "error", "timeout", "died"
    outputs: list
    payloads: list  # texts displayed under the grader's MIME type


class KernelSession:
    """Start with ``with KernelSession(settings, library_dir, files) as k: k.run(code, timeout)``.

    library_dir: a folder holding the student library view (``rnnlib/``) of this assignment;
    files: public files (name -> host path, regular files) put read-only into the kernel's
    working folder.
    language: the class's ("en" or "ja"), of the note the session writes into a cell's
    outputs (default: ``settings.language`` if the settings carry one; otherwise the note
    is in both languages).
    """

    def __init__(self, settings, library_dir, files=None, startup_timeout=60, language=None):
        self.settings = settings
        self.language = language or getattr(settings, "language", None)
        self.mode = settings.mode
        self.library_dir = Path(library_dir)
        self.files = dict(files or {})
        self.startup_timeout = startup_timeout
        self.km = self.kc = None
        self._lease = None
        # Root-only (0700): other kernels and other users cannot reach this kernel's
        # connection file or sockets.
        self._root = Path(tempfile.mkdtemp(prefix="rnn-grading-"))

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        if self._lease is not None:
            self._lease.release()
        shutil.rmtree(self._root, ignore_errors=True)

    @property
    def uid(self):
        return self._lease.uid if self._lease is not None else None

    def _prepare(self):
        """Fresh folders for one kernel start; returns (ipc folder, working folder)."""
        if self.mode == ROOT and self._lease is None:
            self._lease = UidLease(self.settings)
        for name in ("ipc", "work"):
            shutil.rmtree(self._root / name, ignore_errors=True)
            (self._root / name).mkdir()
        ipc, work = self._root / "ipc", self._root / "work"
        if self.uid is not None:
            os.chown(ipc, self.uid, self.uid)
        kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                      "--HistoryManager.hist_file=:memory:", "--IPKernelApp.matplotlib=agg"]
        argv = kernel_argv(self.settings, self.mode, kernel_cmd, uid=self.uid, ipc_dir=ipc,
                           library_dir=self.library_dir, work_dir=work, files=self.files)
        spec_dir = self._root / "kernels" / SPEC_NAME
        spec_dir.mkdir(parents=True, exist_ok=True)
        # interrupt by message: the kernel runs in a session of its own, out of reach of
        # a signal to the launcher's process group.
        spec = {"argv": argv, "display_name": "RNN course (sandboxed)", "language": "python",
                "interrupt_mode": "message"}
        (spec_dir / "kernel.json").write_text(json.dumps(spec))
        return ipc, work

    def start(self):
        ipc, work = self._prepare()
        ksm = KernelSpecManager(kernel_dirs=[str(self._root / "kernels")])
        self.km = KernelManager(kernel_name=SPEC_NAME, kernel_spec_manager=ksm, transport="ipc")
        # Connection file and Unix sockets live in a folder of their own; no TCP, so the
        # kernel needs no network. The file is written here first so that it can be handed
        # to the kernel's user.
        self.km.connection_file = str(ipc / "connection.json")
        self.km.ip = str(ipc / "socket")
        self.km.write_connection_file()
        if self.uid is not None:
            os.chown(self.km.connection_file, self.uid, self.uid)
        self.km.start_kernel(cwd=str(work), env={})
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=self.startup_timeout)
        if self.uid is not None:
            # The sockets exist now; the kernel may not write anything more into this
            # host folder (its own files go to its size-limited tmpfs).
            os.chown(ipc, 0, 0)
            os.chmod(ipc, 0o755)

    def restart(self):
        self.shutdown()
        self.start()

    def shutdown(self):
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:
                pass
            self.km = None

    def alive(self):
        return self.km is not None and self.km.is_alive()

    def run(self, code, timeout, answer=None):
        """Execute ``code``; collect its outputs until idle, a timeout, or the kernel's death.

        answer: a function from request text to reply text that answers the code's
        ``input()`` calls (stand-ins of an item judged on its own logic); without it the
        kernel has no stdin."""
        msg_id = self.kc.execute(code, store_history=False, allow_stdin=answer is not None)
        deadline = time.monotonic() + timeout
        outputs, payloads, chars, status = [], [], 0, "ok"
        truncated = False
        payload_chars = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._after_timeout(msg_id, outputs, payloads)
            if answer is not None:
                self._answer_input(msg_id, answer)
            try:
                msg = self.kc.get_iopub_msg(timeout=min(remaining, 0.5 if answer is None else 0.002))
            except queue.Empty:
                if not self.alive():
                    return RunResult("died", outputs, payloads)
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                return RunResult(status, outputs, payloads)
            if kind == "display_data" and MIME in content.get("data", {}):
                # Bounded: a result larger than the grader reads is dropped, not kept.
                payload = content["data"][MIME]
                payload_chars += len(payload) if isinstance(payload, str) else MAX_PAYLOAD_BYTES
                if payload_chars <= MAX_PAYLOAD_BYTES:
                    payloads.append(payload)
                else:
                    payloads[:] = [TOO_LARGE]
                continue
            if kind == "clear_output":
                outputs.clear()
                continue
            if kind not in ("stream", "display_data", "execute_result", "error"):
                continue
            if kind == "error":
                status = "error"
            size = len(json.dumps(content))
            if chars + size > self.settings.max_output_chars and kind != "error":
                if not truncated:
                    cut = OUTPUT_CUT.get(self.language, OUTPUT_CUT[None])
                    outputs.append(output_from_msg({"msg_type": "stream", "header": msg["header"],
                                                    "content": {"name": "stdout", "text": cut}}))
                    truncated = True
                continue
            chars += size
            outputs.append(output_from_msg(msg))

    def _answer_input(self, msg_id, answer):
        """Reply to every pending input request of execution ``msg_id``."""
        while self.kc.stdin_channel.msg_ready():
            msg = self.kc.get_stdin_msg(timeout=0)
            if (msg["msg_type"] == "input_request"
                    and msg["parent_header"].get("msg_id") == msg_id):
                self.kc.input(answer(str(msg["content"].get("prompt", ""))))

    def _after_timeout(self, msg_id, outputs, payloads):
        """Interrupt; if the kernel does not come back, it is restarted by the caller.

        Only the timed-out execution's own idle counts: the interrupt request (sent as a
        message on the control channel) reports busy and idle too."""
        try:
            self.km.interrupt_kernel()
        except Exception:
            pass
        end = time.monotonic() + 5
        while time.monotonic() < end:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                continue
            if (msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
                    and msg["parent_header"].get("msg_id") == msg_id):
                return RunResult("timeout", outputs, payloads)
        return RunResult("died", outputs, payloads)
