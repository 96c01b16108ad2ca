"""The README's secured example runs as written against a server with TLS and a token
(only the address and the two file names are replaced)."""

import re
import subprocess
import sys

import execlog
from conftest import PY_ROOT, script_env


def readme_block(heading: str) -> str:
    text = (PY_ROOT / "README.md").read_text()
    section = text[text.index(heading):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_ten_line_secured_example_runs(secure_server, pki, tmp_path):
    code = readme_block("## A secured task in ten lines")
    assert len(code.strip().splitlines()) <= 11
    code = (code.replace('"execlog.example.org:50051"', repr(secure_server.secure_address))
            .replace('"ca.pem"', repr(str(pki.server_cert)))
            .replace('"/run/secrets/execlog-token"', repr(str(pki.token_files["writer"]))))
    script = tmp_path / "example.py"
    script.write_text(code)

    def run():
        return subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=script_env(), capture_output=True,
                              text=True, timeout=60)

    held = run()
    assert held.returncode == 1 and "t_1I has not succeeded yet" in held.stderr, held.stderr
    with execlog.connect(secure_server.secure_address, tls_ca=pki.server_cert, token_file=pki.token_files["writer"]) as log:
        log.record("t_1I", "ingestion")
        ran = run()
        assert ran.returncode == 0, ran.stderr
        run_id, when = ran.stdout.split()
        recorded = log.get(run_id)
        assert (recorded.task_id, recorded.execution_time, recorded.record_time.isoformat()) == ("t_1P", 12.5, when)
        assert [f.path for f in recorded.input_files] == ["DATA/processed/customers.csv"]
