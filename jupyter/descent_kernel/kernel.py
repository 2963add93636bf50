"""The kernel: Jupyter's requests in, `descent serve`'s JSON lines out and back.

ipykernel does the protocol (ZeroMQ sockets bound where the connection file says, HMAC
signatures checked on every message with the file's key, heartbeat, control, shutdown);
this class only turns execute/complete/inspect/is_complete into requests to one
`descent serve` child and its replies into Jupyter messages. The child is reachable only
through its pipes. Sources/descent/ServeMode.swift describes the JSON lines.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile

from ipykernel.kernelbase import Kernel

from . import __version__


def descent_binary():
    """The `descent` the kernelspec names (DESCENT_BINARY), else the first on PATH."""
    path = os.environ.get("DESCENT_BINARY") or shutil.which("descent")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError(
            "descent_kernel: no descent binary (set DESCENT_BINARY or put descent on PATH; "
            "scripts/install-jupyter-kernel does it)")
    return path


class DescentKernel(Kernel):
    implementation = "descent_kernel"
    implementation_version = __version__
    language = "descent"
    language_version = __version__
    language_info = {
        "name": "descent",
        "version": __version__,
        "mimetype": "text/x-descent",
        "file_extension": ".descent",
        "pygments_lexer": "text",
    }
    banner = "Descent: a notebook-style REPL for gradient descent. 'help' lists the commands."

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._next_id = 0
        self._progress_lines = 0  # progress lines shown so far, for their display ids
        self._child = None
        self._start_child()

    # --- the child ---------------------------------------------------------------------
    def _start_child(self):
        self._stderr = tempfile.TemporaryFile()
        self._child = subprocess.Popen(
            [descent_binary(), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, bufsize=0)
        ready = self._read()
        if ready is None or ready.get("type") != "ready":
            raise RuntimeError("descent serve did not start: " + self._child_stderr())
        info = ready.get("language") or {}
        self.language_info = dict(self.language_info, **{k: v for k, v in info.items() if k in ("version",)})
        self.language_version = ready.get("version", self.language_version)
        self.banner = ready.get("banner", self.banner)

    def _child_stderr(self):
        try:
            self._stderr.seek(0)
            return self._stderr.read().decode("utf-8", "replace")[-2000:]
        except (OSError, ValueError):
            return ""

    def _read(self):
        line = self._child.stdout.readline()
        if not line:
            return None
        return json.loads(line)

    def _send(self, op, **fields):
        self._next_id += 1
        fields.update(op=op, id=self._next_id)
        if self._child is None or self._child.poll() is not None:
            self._start_child()
        self._child.stdin.write((json.dumps(fields) + "\n").encode("utf-8"))
        self._child.stdin.flush()
        return self._next_id

    def _request(self, op, **fields):
        """A request whose only reply is `done`."""
        self._send(op, **fields)
        while True:
            reply = self._read()
            if reply is None:
                return None
            if reply.get("type") == "done":
                return reply

    # --- execute -----------------------------------------------------------------------------
    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False):
        try:
            self._send("execute", code=code)
        except (BrokenPipeError, OSError) as error:
            return self._error_reply("DescentStopped", f"descent serve could not be reached: {error}", [])
        progress_id = None
        while True:
            try:
                reply = self._read()
            except KeyboardInterrupt:
                # Jupyter's interrupt: the child stops its run of steps cleanly (as Ctrl-C
                # does in the REPL) and ends the cell with "interrupted".
                self._child.send_signal(signal.SIGINT)
                continue
            if reply is None:
                detail = self._child_stderr().strip()
                self._child = None  # the next cell starts a new session
                text = "descent serve stopped" + (f": {detail}" if detail else "") + "; the next cell starts a new session"
                return self._error_reply("DescentStopped", text, [text])
            kind = reply.get("type")
            if kind == "stream" and not silent:
                self.send_response(self.iopub_socket, "stream", {"name": reply["name"], "text": reply["text"]})
            elif kind == "display" and not silent:
                self.send_response(self.iopub_socket, "display_data", {"data": reply["data"], "metadata": {}})
            elif kind == "progress" and not silent:
                progress_id = self._progress(reply, progress_id)
            elif kind == "done":
                if reply.get("status") == "error":
                    return self._error_reply(reply.get("ename", "DescentError"), reply.get("evalue", ""),
                                             reply.get("traceback", []), silent)
                return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _progress(self, reply, display_id):
        """A long run of steps: one line, updated in place, which ends as the time the run took
        (as the terminal shows it: "1000 steps in 0.52 s (0.52 ms per step)"); the next run of
        the same cell gets a line of its own. Returns the line's display id while it runs."""
        taken, limit, finished = reply["taken"], reply["limit"], reply["finished"]
        if display_id is None and finished:
            return None
        purpose = reply.get("purpose")  # e.g. "replaying for the export"
        label = f"{purpose}: " if purpose else ""
        if finished:
            text = label + self._timing(taken, reply.get("seconds", 0.0)) if taken > 0 else ""
        else:
            width = 30
            filled = int(width * taken / max(limit, 1))
            loss = reply.get("loss")
            text = f"[{'█' * filled}{'░' * (width - filled)}] {label}{taken}/{limit} steps" + (f" · loss {loss:.4g}" if loss is not None else "") + ("" if purpose else " · interrupt (■) stops")
        if display_id is None:
            # One id per run (an update goes to every display with its id): the request's
            # number and the run's within it.
            self._progress_lines += 1
            display_id = f"descent-progress-{self._next_id}-{self._progress_lines}"
            self.send_response(self.iopub_socket, "display_data",
                               {"data": {"text/plain": text}, "metadata": {}, "transient": {"display_id": display_id}})
        else:
            self.send_response(self.iopub_socket, "update_display_data",
                               {"data": {"text/plain": text}, "metadata": {}, "transient": {"display_id": display_id}})
        return None if finished else display_id

    @staticmethod
    def _timing(taken, seconds):
        """"50 steps in 0.522 s (10.4 ms per step)", the REPL's line (descent/Progress.swift)."""
        per_step = seconds / taken
        per = "%.3g µs" % (per_step * 1e6) if per_step < 1e-3 else "%.3g ms" % (per_step * 1e3)
        return "%d %s in %.3g s (%s per step)" % (taken, "step" if taken == 1 else "steps", seconds, per)

    def _error_reply(self, ename, evalue, traceback, silent=False):
        content = {"ename": ename, "evalue": evalue, "traceback": traceback}
        if not silent:
            self.send_response(self.iopub_socket, "error", content)
        return dict(content, status="error", execution_count=self.execution_count)

    # --- completion, inspection, is_complete --------------------------------------------------
    def do_complete(self, code, cursor_pos):
        reply = self._request("complete", code=code, cursor=cursor_pos if cursor_pos is not None else len(code))
        if reply is None:
            return {"status": "error", "matches": [], "cursor_start": cursor_pos, "cursor_end": cursor_pos, "metadata": {}}
        return {"status": "ok", "matches": reply["matches"], "cursor_start": reply["cursor_start"],
                "cursor_end": reply["cursor_end"], "metadata": {}}

    def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        reply = self._request("inspect", code=code, cursor=cursor_pos)
        if reply is None:
            return {"status": "error", "found": False, "data": {}, "metadata": {}}
        return {"status": "ok", "found": reply["found"], "data": reply.get("data", {}), "metadata": {}}

    def do_is_complete(self, code):
        reply = self._request("is_complete", code=code)
        return {"status": reply["status"] if reply else "unknown"}

    def do_shutdown(self, restart):
        if self._child is not None and self._child.poll() is None:
            try:
                self._request("shutdown")
                self._child.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                self._child.kill()
        return {"status": "ok", "restart": restart}
