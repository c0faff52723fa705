"""The GitHub Action (action.yml) and the GitLab CI template (ci/mlps.gitlab-ci.yml) run as a CI runner runs them:
their shell steps in order, with their inputs/variables as environment, on a folder of config backups."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import CONFIGS, ROOT

BIN = str(Path(sys.executable).parent)


def _copy(configs: list[str], dest: Path) -> Path:
    dest.mkdir()
    for c in configs:
        shutil.copy(CONFIGS / c, dest)
    return dest


def _expr(text: str, inputs: dict[str, str]) -> str:
    """GitHub's ${{ inputs.x }} and ${{ github.action_path }}: the only expressions the action's env blocks use."""
    def value(m: re.Match) -> str:
        name = m.group(1).strip()
        if name == "github.action_path":
            return str(ROOT)
        assert name.startswith("inputs."), name
        return inputs[name.removeprefix("inputs.")]
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", value, text)


def run_action(inputs: dict[str, str], workdir: Path) -> tuple[int, dict[str, str], list[dict]]:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | inputs
    outputs_file = workdir / "github_output"
    outputs_file.touch()
    used = []
    for step in action["runs"]["steps"]:
        if "uses" in step:
            used.append({k: _expr(v, values) for k, v in step.get("with", {}).items()})
            continue
        env = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}", GITHUB_OUTPUT=str(outputs_file))
        env |= {k: _expr(v, values) for k, v in step.get("env", {}).items()}
        assert "${{" not in step["run"], "inputs reach the shell only through env"
        r = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=workdir, env=env, capture_output=True,
                           text=True, timeout=300)
        if r.returncode:
            return r.returncode, {}, used
    outputs = dict(line.split("=", 1) for line in outputs_file.read_text().splitlines())
    return 0, outputs, used


def test_the_action_scans_uploads_and_gates(tmp_path):
    weak = _copy(["huawei_vrp/weak_s5700_v200r005.cfg", "cisco_ios/weak_c2960_15.0.cfg"], tmp_path / "weak")
    code, _, used = run_action({"path": str(weak), "out": str(tmp_path / "o1")}, tmp_path)
    assert code == 1                                          # weak configs raise high risks: max-high-risk 0 fails
    assert used and Path(used[0]["sarif_file"]).is_file()    # the upload step gets the SARIF written by the scan
    hard = _copy(["huawei_vrp/hardened_s5735_v200r019.cfg", "cisco_ios/hardened_c9300_17.9.cfg"], tmp_path / "hard")
    code, outputs, _ = run_action({"path": str(hard), "out": str(tmp_path / "o2")}, tmp_path)
    assert code == 0 and outputs["high-risks"] == "0"
    scan = json.loads((tmp_path / "o2/scan.json").read_text(encoding="utf-8"))
    assert float(outputs["score"]) == scan["score"]["overall"]
    code, _, _ = run_action({"path": str(hard), "out": str(tmp_path / "o3"), "min-score": "100"}, tmp_path)
    assert code == 1 or scan["score"]["overall"] == 100


def test_an_input_is_never_run_as_shell(tmp_path):
    marker = tmp_path / "pwned"
    code, _, _ = run_action({"path": f"$(touch {marker})", "out": str(tmp_path / "o")}, tmp_path)
    assert code == 2 and not marker.exists()


def test_the_gitlab_template_writes_its_reports_and_gates(tmp_path):
    tpl = yaml.safe_load((ROOT / "ci/mlps.gitlab-ci.yml").read_text(encoding="utf-8"))
    job = tpl["mlps-scan"]
    weak = _copy(["huawei_vrp/weak_s5700_v200r005.cfg"], tmp_path / "weak")
    env = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}") | {k: str(v) for k, v in tpl["variables"].items()}
    env |= {"MLPS_CONFIGS": str(weak), "MLPS_OUT": str(tmp_path / "out"), "MLPS_MAX_HIGH_RISK": ""}
    script = "\n".join(job["script"])                        # GitLab runs the lines in one shell, stopping on error
    r = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    for report in job["artifacts"]["reports"].values():
        path = Path(report.replace("$MLPS_OUT", env["MLPS_OUT"]))
        assert path.is_file() and path.stat().st_size > 100
    env["MLPS_MAX_HIGH_RISK"] = "0"
    r = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "gate failed" in r.stderr
