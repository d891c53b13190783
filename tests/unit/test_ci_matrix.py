"""The CI matrix of the sample network (scripts/ci_matrix.py), the provided workflow that
uses it, and the portal job's path: schools read over HTTP from their published folders."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from trangtin.aggregate.collect import aggregate
from trangtin.feeds.fetch import FetchPolicy
from trangtin.network.model import load_network

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "ci_matrix.py"
WORKFLOW = REPO / ".github" / "workflows" / "network.yml"


def run(*args: str, root: Path = REPO) -> str:
    done = subprocess.run([sys.executable, str(SCRIPT), "--root", str(root), *args],
                          capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


def sample() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "network.yml").read_text(encoding="utf-8"))
    return data


def expected_schools() -> list[str]:
    """Schools with a site folder here, in network.yml's order (read without trangtin)."""
    folders = {p.parent.name for p in (REPO / "sites").glob("*/mkdocs.yml")}
    return [u["id"] for u in sample()["units"] if u["id"] in folders and u["type"] == "truong"]


def test_one_matrix_job_per_school_each_with_its_config() -> None:
    out = run()
    assert out.count("\n") == 1  # one line: it goes into $GITHUB_OUTPUT as it is
    include = json.loads(out)["include"]
    assert [e["unit"] for e in include] == expected_schools() != []
    for entry in include:
        assert entry["units"] == entry["unit"]
        assert entry["config"] == f"sites/{entry['unit']}/mkdocs.yml"
        assert (REPO / entry["config"]).is_file()


def test_the_portal_is_apart() -> None:
    [portal] = json.loads(run("--portal"))["include"]
    assert portal == {"unit": sample()["portal"], "units": sample()["portal"],
                      "config": "mkdocs.yml"}
    assert portal["unit"] not in run()


def test_above_the_job_limit_schools_are_batched_and_none_is_lost() -> None:
    include = json.loads(run("--max-jobs", "2"))["include"]
    assert len(include) == 2
    units = [u for e in include for u in e["units"].split()]
    assert units == expected_schools()
    for entry in include:
        assert entry["config"].split() == [f"sites/{u}/mkdocs.yml" for u in entry["units"].split()]


def test_a_broken_network_file_is_reported_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "network.yml").write_text("units:\n  - {id: X, name: a, type: truong}\n",
                                          encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), "--root", str(tmp_path)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "network.yml:2: lỗi: id 'X' không hợp lệ" in done.stderr


def test_the_workflow_builds_each_school_then_the_portal_over_http() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare 'on' as true
    assert {"push", "workflow_dispatch", "schedule"} <= set(triggers)
    jobs = workflow["jobs"]
    assert set(jobs) == {"plan", "school", "portal"}
    plan = "\n".join(s.get("run", "") for s in jobs["plan"]["steps"])
    assert "scripts/ci_matrix.py" in plan and "scripts/ci_matrix.py --portal" in plan
    assert jobs["school"]["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.schools) }}"
    assert jobs["school"]["strategy"]["fail-fast"] is False
    assert jobs["portal"]["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.portal) }}"
    assert jobs["portal"]["needs"] == ["plan", "school"]
    school = {s.get("name", ""): s for s in jobs["school"]["steps"]}
    assert school["build"]["run"].startswith("trangtin build ${{ matrix.units }}")
    assert "trangtin deploy \"$unit\" --gh-pages" in school[
        "deploy (gh-pages of each school's repository)"]["run"]
    portal = jobs["portal"]["steps"]
    cached = [s for s in portal if str(s.get("uses", "")).startswith("actions/cache@")]
    assert [s["with"]["path"] for s in cached] == [".trangtin"]
    runs = [s.get("run", "") for s in portal]
    assert "python scripts/ci_matrix.py --http-network network.yml" in runs
    assert runs.index("python scripts/ci_matrix.py --http-network network.yml") < next(
        i for i, r in enumerate(runs) if r.startswith("trangtin build ${{ matrix.units }}"))
    assert workflow["env"]["DEPLOY"].endswith("|| 'artifact' }}")


def test_only_the_deploy_steps_hold_the_pages_token() -> None:
    """The token that pushes to the sites' repositories is given to the steps that push,
    never workflow- or job-wide, so a step that builds content cannot read it."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "TRANGTIN_PAGES_TOKEN" not in json.dumps(workflow.get("env", {}))
    holders = []
    for job_id, job in workflow["jobs"].items():
        assert "TRANGTIN_PAGES_TOKEN" not in json.dumps(job.get("env", {})), job_id
        for step in job["steps"]:
            if "TRANGTIN_PAGES_TOKEN" in json.dumps(step.get("env", {})):
                holders.append((job_id, step["name"]))
                assert step["name"].startswith("deploy (gh-pages"), step["name"]
                assert "trangtin build" not in step["run"]
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, job_id
    assert holders == [("school", "deploy (gh-pages of each school's repository)"),
                       ("portal", "deploy (gh-pages of the portal's repository)")]


@pytest.fixture()
def published(built_network: Path) -> Iterator[str]:
    """The built sample's public/ folder served from loopback, as its web hosts would."""
    handler = functools.partial(_Quiet, directory=str(built_network / "public"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


def test_the_portal_job_reads_the_published_schools_with_conditional_get(
        tmp_path: Path, built_network: Path, published: str) -> None:
    schools = expected_schools()
    for unit in schools:
        (tmp_path / "sites" / unit).mkdir(parents=True)
        shutil.copy2(built_network / "sites" / unit / "mkdocs.yml", tmp_path / "sites" / unit)
    text = (built_network / "network.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for unit in data["units"]:
        if unit["id"] in schools:  # each school published at its own address
            text = text.replace(f"site_url: {unit['site_url']}", f"site_url: {published}/{unit['id']}/")
    (tmp_path / "network.yml").write_text(text, encoding="utf-8")

    run("--http-network", str(tmp_path / "network.yml"), root=tmp_path)  # as the workflow does
    network = load_network(tmp_path / "network.yml")
    assert all(network.units[u].feed == f"{published}/{u}/feed.json" for u in schools)

    policy = FetchPolicy(timeout=5, retries=0)
    portal = data["portal"]
    [first] = aggregate(network, [portal], policy=policy)
    [second] = aggregate(network, [portal], policy=policy)
    for result in (first, second):
        by_unit = {s.unit: s for s in result.sources}
        for unit in schools:
            built = json.loads((built_network / "public" / unit / "feed.json").read_bytes())
            source = by_unit[unit]
            assert source.ok and source.url == f"{published}/{unit}/feed.json"
            assert [i.id for i in source.items] == [i["id"] for i in built["items"]] != []
    assert not any(s.not_modified for s in first.sources if s.unit in schools)
    assert all(s.not_modified for s in second.sources if s.unit in schools)  # Last-Modified → 304
