"""The descent kernel under Jupyter's own conformance suite (jupyter_kernel_test), and the
protocol's promises that suite does not test: a message signed with the wrong key runs
nothing, and an interrupt stops `train 1000000000` and leaves a session that runs the next
cell. Needs the kernelspec `descent` where Jupyter looks (JUPYTER_PATH)."""

import contextlib
import tempfile
import time
import unittest

import jupyter_client
import jupyter_kernel_test


class DescentKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "descent"
    language_name = "descent"
    file_extension = ".descent"

    completion_samples = [
        {"text": "ste", "matches": {"step"}},
        {"text": "optimizer ad", "matches": {"adam"}},
        {"text": "show sig", "matches": {"sigmoid"}},
    ]
    complete_code_samples = ["step", "show [1, 2]", "data xor\nnet 2 -> 1"]
    incomplete_code_samples = []
    invalid_code_samples = ["show [1, 2", 'save "x.descent']
    code_generate_error = "show W9"
    code_display_data = [{"code": "data xor\nnet 2 -> 2 tanh -> 1 sigmoid\nstep 5\nplot loss", "mime": "image/svg+xml"}]
    code_inspect_sample = "step"


@contextlib.contextmanager
def kernel():
    """A descent kernel and a client, shut down at the end."""
    manager, client = jupyter_client.manager.start_new_kernel(kernel_name="descent")
    try:
        yield manager, client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client, code, timeout=60):
    """Runs a cell; returns its reply's content and the text it printed."""
    printed = []

    def hook(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    reply = client.execute_interactive(code, timeout=timeout, output_hook=hook)
    return reply["content"], "".join(printed)


class Progress(unittest.TestCase):
    def shown(self, client, code):
        """Runs a cell; returns the display messages it sent (the progress lines)."""
        messages = []
        reply = client.execute_interactive(code, timeout=120, output_hook=messages.append)
        self.assertEqual(reply["content"]["status"], "ok")
        return [m for m in messages if m["msg_type"] in ("display_data", "update_display_data")]

    def test_a_long_run_shows_a_bar_that_ends_as_its_timing(self):
        with kernel() as (manager, client):
            run(client, "data xor\nnet 2 -> 8 tanh -> 1 sigmoid")
            shown = self.shown(client, "train 1000000")
            self.assertGreater(len(shown), 1)
            self.assertIn("/1000000 steps", shown[0]["content"]["data"]["text/plain"])
            ids = {m["content"]["transient"]["display_id"] for m in shown}
            self.assertEqual(len(ids), 1)  # one line, updated in place
            last = shown[-1]["content"]["data"]["text/plain"]
            self.assertRegex(last, r"^1000000 steps in [0-9.]+ s \([0-9.]+ (µs|ms) per step\)$")

    def test_two_runs_in_a_cell_keep_a_timing_each(self):
        with kernel() as (manager, client):
            run(client, "data xor\nnet 2 -> 8 tanh -> 1 sigmoid")
            lines = {}
            for m in self.shown(client, "train 300000\ntrain 350000"):  # the last text of each display line
                lines[m["content"]["transient"]["display_id"]] = m["content"]["data"]["text/plain"]
            self.assertEqual(len(lines), 2, lines)
            texts = list(lines.values())
            self.assertRegex(texts[0], r"^300000 steps in ")
            self.assertRegex(texts[1], r"^350000 steps in ")
            # The PyTorch export takes the steps again: its line says so.
            with tempfile.TemporaryDirectory() as folder:
                shown = self.shown(client, f'export "{folder}/k.py"')
                self.assertRegex(shown[-1]["content"]["data"]["text/plain"], r"^replaying for the export: 650000 steps in ")


class Security(unittest.TestCase):
    def test_a_request_signed_with_a_wrong_key_runs_nothing(self):
        with kernel() as (manager, client):
            run(client, "let secret = 1")
            # A second client on the same ports, with its own session whose key is wrong: its
            # messages carry HMAC signatures the kernel cannot verify.
            intruder = jupyter_client.BlockingKernelClient()
            intruder.load_connection_info(manager.get_connection_info())
            intruder.session = jupyter_client.session.Session(key=b"not-the-key-of-this-kernel")
            intruder.start_channels()
            msg_id = intruder.execute("let secret = 2\ndata xor")
            with self.assertRaises(Exception):  # no reply: the kernel dropped the message
                intruder.get_shell_msg(timeout=3)
            intruder.stop_channels()
            content, printed = run(client, "show secret")
            self.assertEqual(content["status"], "ok")
            self.assertEqual(printed, "secret = 1\n")
            content, _ = run(client, "show X")
            self.assertEqual(content["status"], "error", "the intruder's `data xor` ran")
            self.assertTrue(msg_id)


class Interrupt(unittest.TestCase):
    def test_an_interrupt_stops_a_long_train_and_the_next_cell_runs(self):
        with kernel() as (manager, client):
            run(client, "data xor\nnet 2 -> 8 tanh -> 1 sigmoid")
            msg_id = client.execute("train 1000000000")
            time.sleep(2)
            manager.interrupt_kernel()
            while True:
                reply = client.get_shell_msg(timeout=30)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            self.assertEqual(reply["content"]["status"], "error")
            self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
            # The next cell runs, from where the run stopped: step N + 1 (the step line prints
            # N in full). ipykernel aborts execute requests that arrive in the instant after an
            # error reply (stop_on_error; ipykernel#609): "aborted" means nothing ran, so again.
            content, printed = run(client, "step")
            for _ in range(5):
                if content["status"] != "aborted":
                    break
                time.sleep(0.5)
                content, printed = run(client, "step")
            self.assertEqual(content["status"], "ok")
            steps = int(printed.split()[1])
            self.assertGreater(steps, 1)
            self.assertLess(steps, 1000000000)
            content, printed = run(client, "step")
            self.assertEqual(content["status"], "ok")
            self.assertTrue(printed.startswith(f"step {steps + 1} "), printed)

    def test_restart_gives_a_fresh_session(self):
        with kernel() as (manager, client):
            run(client, "let a = 5")
            manager.restart_kernel(now=True)
            client.wait_for_ready(timeout=30)
            content, _ = run(client, "show a")
            self.assertEqual(content["status"], "error")


class LessonMode(unittest.TestCase):
    def test_lesson_offers_its_commands_and_an_empty_cell_runs_them(self):
        with kernel() as (manager, client):
            messages = []
            reply = client.execute_interactive("lesson 1", timeout=60, output_hook=messages.append)
            self.assertEqual(reply["content"]["status"], "ok")
            text = "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")
            prose = "".join(m["content"]["data"].get("text/markdown", "") for m in messages if m["msg_type"] == "display_data")
            self.assertIn("next: let X = [[1], [2], [3], [4]]", text)
            self.assertIn("the smallest possible example", prose)
            content, printed = run(client, "")
            self.assertEqual(content["status"], "ok")
            self.assertIn("X = [[1], [2], [3], [4]]", printed)
            self.assertIn("next: let y = [1, 2, 3, 4]", printed)


if __name__ == "__main__":
    unittest.main()
