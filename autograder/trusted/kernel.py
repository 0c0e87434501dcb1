"""A student's kernel, sandboxed, driven cell by cell with time limits and restarts."""
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbformat.v4 import output_from_msg

from .protocol import MIME

SPEC_NAME = "rnn-course-sandbox"


@dataclass
class SandboxSettings:
    """Limits and isolation of the grading kernel (configurable in nbgrader_config.py)."""

    memory_mb: int = 2048
    cpu_seconds: int = 600
    max_processes: int = 64
    file_size_mb: int = 64
    max_output_chars: int = 20_000  # per cell; more is cut with a note
    user: str = "nobody"
    isolate: bool = True  # namespaces + unprivileged user when running as root
    hidden_paths: list = field(default_factory=list)

    @property
    def isolated(self):
        return self.isolate and namespaces_available()


_NAMESPACES = None


def namespaces_available():
    """Whether this process may create the sandbox's namespaces (root, and a kernel or
    container that allows it): probed once with the same unshare flags."""
    global _NAMESPACES
    if _NAMESPACES is None:
        _NAMESPACES = False
        if os.geteuid() == 0 and shutil.which("unshare"):
            probe = subprocess.run(["unshare", "--mount", "--net", "--pid", "--fork",
                                    "--mount-proc", "--propagation", "private", "true"],
                                   capture_output=True, timeout=30)
            _NAMESPACES = probe.returncode == 0
    return _NAMESPACES


@dataclass
class RunResult:
    status: str  # "ok", "error", "timeout", "died"
    outputs: list
    payloads: list  # texts displayed under the grader's MIME type


class KernelSession:
    """Start with ``with KernelSession(settings, files) as k: k.run(code, timeout)``.

    files: public files (name -> bytes) copied into the kernel's private working directory.
    """

    def __init__(self, settings, files=None, startup_timeout=60):
        self.settings = settings
        self.files = files or {}
        self.startup_timeout = startup_timeout
        self.km = self.kc = None
        self._root = Path(tempfile.mkdtemp(prefix="rnn-grading-"))
        os.chmod(self._root, 0o755)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        shutil.rmtree(self._root, ignore_errors=True)

    def _prepare(self):
        work = self._root / "work"
        if work.exists():
            shutil.rmtree(work)
        work.mkdir()
        for name, data in self.files.items():
            (work / name).write_bytes(data)
        spec_dir = self._root / "kernels" / SPEC_NAME
        spec_dir.mkdir(parents=True, exist_ok=True)
        stash = self._root / "stash"
        stash.mkdir(exist_ok=True)
        settings = {**self.settings.__dict__, "isolate": self.settings.isolated,
                    "writable": [str(work)], "stash": str(stash),
                    "exposed_paths": sorted({sys.base_prefix, sys.prefix})}
        settings_path = self._root / "sandbox.json"
        settings_path.write_text(json.dumps(settings))
        spec = {"argv": [sys.executable, "-m", "autograder.trusted.sandbox", str(settings_path), "--",
                         sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                         "--HistoryManager.hist_file=:memory:", "--IPKernelApp.matplotlib=agg"],
                "display_name": "RNN course (sandboxed)", "language": "python",
                "env": {"MPLBACKEND": "agg", "PYTHONDONTWRITEBYTECODE": "1",
                        "MPLCONFIGDIR": str(work), "IPYTHONDIR": str(work / ".ipython")}}
        (spec_dir / "kernel.json").write_text(json.dumps(spec))
        return work

    def start(self):
        work = self._prepare()
        ksm = KernelSpecManager(kernel_dirs=[str(self._root / "kernels")])
        self.km = KernelManager(kernel_name=SPEC_NAME, kernel_spec_manager=ksm, transport="ipc")
        # Connection file and Unix sockets live in the kernel's own directory, the only
        # place it can write; no TCP, so the kernel needs no network.
        self.km.connection_file = str(work / "kernel-connection.json")
        self.km.ip = str(work / "ipc")
        self.km.start_kernel(cwd=str(work))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=self.startup_timeout)

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

    def run(self, code, timeout):
        """Execute ``code``; collect its outputs until idle, a timeout, or the kernel's death."""
        msg_id = self.kc.execute(code, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        outputs, payloads, chars, status = [], [], 0, "ok"
        truncated = False
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._after_timeout(outputs, payloads)
            try:
                msg = self.kc.get_iopub_msg(timeout=min(remaining, 0.5))
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
                payloads.append(content["data"][MIME])
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
                    outputs.append(output_from_msg({"msg_type": "stream", "header": msg["header"],
                                                    "content": {"name": "stdout", "text":
                                                                "[output cut: too long]\n"}}))
                    truncated = True
                continue
            chars += size
            outputs.append(output_from_msg(msg))

    def _after_timeout(self, outputs, payloads):
        """Interrupt; if the kernel does not come back, it is restarted by the caller."""
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
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return RunResult("timeout", outputs, payloads)
        return RunResult("died", outputs, payloads)
