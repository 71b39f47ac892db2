"""Checks probes/ with pyright in strict mode against probes/expected.json.

    .venv/bin/python scripts/type_probes.py <path to the pyright executable>

Each ``<probe>.probe.py`` is checked twice in a temporary copy of probes/: as written (pyright may
report errors only on its ``# probe-mistake`` line: "caught" when it does, "not caught" when the
file is clean) and with every mistake line replaced by the line after ``# probe-fix:`` (which
must be clean, so a probe never passes for an unrelated error). Exits 1 when an outcome differs
from expected.json. The same rules as the TypeScript apps' type-probe suite (@arena/testkit).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROBES = Path(__file__).resolve().parents[1] / "probes"
MISTAKE = "# probe-mistake"
FIX = "# probe-fix:"


def fixed(source: str) -> str:
    lines = source.splitlines()
    out: list[str] = []
    for index, line in enumerate(lines):
        if line.strip().startswith(FIX):
            continue
        if line.rstrip().endswith(MISTAKE):
            fix = lines[index - 1].strip()
            assert fix.startswith(FIX), f"no '{FIX}' line above the mistake on line {index + 1}"
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + fix[len(FIX) :].strip())
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def errors_of(pyright: str, folder: Path, file: Path) -> list[tuple[int, str]]:
    result = subprocess.run(
        [pyright, "--outputjson", "-p", str(folder), str(file)], capture_output=True, text=True, check=False
    )
    report = json.loads(result.stdout)
    return [
        (d["range"]["start"]["line"] + 1, d["message"].splitlines()[0])
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]


def main() -> int:
    pyright = sys.argv[1]
    expected: dict[str, str] = json.loads((PROBES / "expected.json").read_text())
    failures = 0
    for name, expectation in expected.items():
        probe = PROBES / f"{name}.probe.py"
        if not probe.exists():
            outcome = "not expressible" if (PROBES / f"{name}.not-expressible.py").exists() else "missing"
            print(f"{name}: {outcome} (expected {expectation})")
            failures += outcome != expectation
            continue
        source = probe.read_text()
        mistake_lines = {i + 1 for i, line in enumerate(source.splitlines()) if line.rstrip().endswith(MISTAKE)}
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp) / "probes"
            shutil.copytree(PROBES, folder)
            config = json.loads((folder / "pyrightconfig.json").read_text())
            # The copy lives elsewhere: make the configuration's relative paths absolute.
            config["venvPath"] = str((PROBES / config["venvPath"]).resolve())
            config["extraPaths"] = [str((PROBES / path).resolve()) for path in config["extraPaths"]]
            (folder / "pyrightconfig.json").write_text(json.dumps(config))
            as_written = errors_of(pyright, folder, folder / probe.name)
            (folder / probe.name).write_text(fixed(source))
            after_fix = errors_of(pyright, folder, folder / probe.name)
        stray = [error for error in as_written if error[0] not in mistake_lines]
        outcome = "caught" if as_written else "not caught"
        ok = outcome == expectation and not stray and not after_fix
        failures += not ok
        detail = "; ".join(message for _, message in as_written[:1])
        print(f"{name}: {outcome} (expected {expectation}){' - ' + detail if detail else ''}")
        for line, message in stray:
            print(f"  error outside the mistake line {line}: {message}")
        for line, message in after_fix:
            print(f"  the fixed probe does not type-check, line {line}: {message}")
    print(f"{len(expected) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
