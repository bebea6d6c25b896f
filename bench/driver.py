"""Runs the benchmark scenarios of bench/run.sh, interleaved, and writes bench/results.json.

Every measurement is a fresh process (node bench/node/bench.js, bench/.venv's python
bench/python/bench.py, the Rust bench binary) that prints one JSON object. Rounds alternate
ours and the official SDK of each language (ours, official, ours, official, ...), so that a
change in the machine's load hits both alike. Then bench/report.py renders the table and the
chart.

    python bench/driver.py            # what bench/run.sh runs, after building everything

Environment: BENCH_ROUNDS (default 5), BENCH_COLD_ROUNDS (default 20), BENCH_SECS (seconds
per throughput measurement, default 1), BENCH_RSS_CALLS (default 10000), BENCH_MAX_LOAD
(wait for a 1-minute load average below this before starting, default 1.5) and
BENCH_LOAD_WAIT (seconds to wait at most, default 600), BENCH_MAX_BUSY (before each round,
wait up to 60 s while other processes use more than this share of the CPUs, default 0.25).
Only 127.0.0.1 is contacted.

Locations (bench/run.sh sets them for its smoke run, whose artifacts are debug builds kept
apart from a measurement's): BENCH_WORK, BENCH_STAGE (the staged npm package), BENCH_VENV,
BENCH_EMULATOR, BENCH_RUST_BIN, BENCH_RESULTS (where results.json is written), BENCH_PROFILE.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def _path(name: str, default: Path) -> Path:
    """A location bench/run.sh may move (its smoke run keeps its own apart from a real run's)."""
    return Path(os.environ.get(name) or default)


WORK = _path("BENCH_WORK", BENCH / ".work")
STAGE = _path("BENCH_STAGE", BENCH / ".stage" / "essbasic")
VENV = _path("BENCH_VENV", BENCH / ".venv")
VENV_PY = VENV / "bin" / "python"
EMULATOR = _path("BENCH_EMULATOR", BENCH / "target" / "release" / "essbasic-emulator")
RUST_BENCH = _path("BENCH_RUST_BIN", BENCH / "rust" / "target" / "release" / "essbasic-bench")
RESULTS = _path("BENCH_RESULTS", BENCH / "results.json")
#: "release" for a measurement; bench/run.sh's smoke run says "debug".
PROFILE = os.environ.get("BENCH_PROFILE", "release")
NODE_BENCH = BENCH / "node" / "bench.js"
PY_BENCH = BENCH / "python" / "bench.py"

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "20"))
RSS_CALLS = int(os.environ.get("BENCH_RSS_CALLS", "10000"))
MAX_LOAD = float(os.environ.get("BENCH_MAX_LOAD", "1.5"))
LOAD_WAIT = float(os.environ.get("BENCH_LOAD_WAIT", "600"))


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# -- processes ----------------------------------------------------------------------------


def child_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """The children's environment: no proxy (only loopback is contacted) plus the bench's."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(extra or {})
    return env


def spawn(cmd: List[str], env: Dict[str, str], capture: bool = True) -> Tuple[str, float]:
    """Runs ``cmd`` to completion: (stdout, wall seconds from spawn to exit)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=err,
            cwd=BENCH,
        )
        out = proc.stdout.read().decode() if proc.stdout else ""
        _, status = os.waitpid(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.stdout:
            proc.stdout.close()
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{err.read().decode()[-3000:]}")
    return out, wall


def run_json(cmd: List[str], env: Dict[str, str]) -> Dict[str, Any]:
    out, _ = spawn(cmd, env)
    return json.loads(out.strip().splitlines()[-1])


def wait_for_quiet() -> List[float]:
    """Waits (up to LOAD_WAIT s) for the 1-minute load average to fall below MAX_LOAD."""
    deadline = time.time() + LOAD_WAIT
    while True:
        load = list(os.getloadavg())
        if load[0] < MAX_LOAD or time.time() > deadline:
            if load[0] >= MAX_LOAD:
                log(f"load {load[0]:.2f} still above {MAX_LOAD} after {LOAD_WAIT:.0f} s; going on")
            return load
        log(f"load average {load[0]:.2f} >= {MAX_LOAD}: waiting")
        time.sleep(15)


def cpu_busy(seconds: float = 1.0) -> float:
    """The machine's CPU use over ``seconds`` (0..1, all cores), from /proc/stat."""

    def sample() -> Tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields[:8]), idle

    t0, i0 = sample()
    time.sleep(seconds)
    t1, i1 = sample()
    return 1.0 - (i1 - i0) / max(t1 - t0, 1)


#: CPU use by others (measured between our processes, the emulators idle) above which a
#: round waits: the load average cannot tell our own benchmark processes from the rest.
MAX_FOREIGN_BUSY = float(os.environ.get("BENCH_MAX_BUSY", "0.25"))
QUIET: Dict[str, List[float]] = {}


def wait_for_quiet_round(scenario: str) -> None:
    """Before a round: wait (up to 60 s) until the other processes leave the CPUs mostly idle,
    and record what they used."""
    deadline = time.time() + 60
    busy = cpu_busy()
    while busy > MAX_FOREIGN_BUSY and time.time() < deadline:
        log(f"{scenario}: other processes use {busy:.0%} of the CPUs: waiting")
        time.sleep(4)
        busy = cpu_busy()
    QUIET.setdefault(scenario, []).append(round(busy, 3))


class Emulator:
    """The emulator (release-built for a measurement) on 127.0.0.1 (one tokio worker: the other core is the
    client's), started and stopped by this script only."""

    def __init__(self, *args: str) -> None:
        self.out = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [str(EMULATOR), "--listen", "127.0.0.1:0", "--workers", "1", *args],
            stdout=subprocess.PIPE,
            stderr=self.out,
            env=child_env(),
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().decode().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"the emulator did not start: {self.url!r}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


# -- statistics ---------------------------------------------------------------------------


def stats(samples: List[float]) -> Dict[str, Any]:
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "n": len(samples),
        "samples": samples,
    }


def dig(obj: Dict[str, Any], path: str) -> float:
    for part in path.split("."):
        obj = obj[part]
    return float(obj)  # type: ignore[arg-type]


# -- scenarios ----------------------------------------------------------------------------

NODE_IMPLS = ["ours", "official", "wasm"]
PY_IMPLS = ["ours", "official"]


def commands(scenario: str, arg: Optional[str] = None) -> Dict[str, List[str]]:
    """The command of each implementation for one scenario, in interleaving order."""
    extra = [arg] if arg else []
    cmds: Dict[str, List[str]] = {}
    for impl in NODE_IMPLS:
        cmds[f"node.{impl}"] = ["node", str(NODE_BENCH), scenario, impl, *extra]
    for impl in PY_IMPLS:
        cmds[f"python.{impl}"] = [str(VENV_PY), str(PY_BENCH), scenario, impl, *extra]
    cmds["rust.ours"] = [str(RUST_BENCH), scenario, *extra]
    return cmds


def rounds_of(
    scenario: str,
    env: Dict[str, str],
    arg: Optional[str] = None,
    extra: Optional[Dict[str, List[str]]] = None,
) -> Dict[str, List[Dict[str, Any]]]:
    """ROUNDS interleaved rounds of every implementation; the raw outputs per implementation."""
    raw: Dict[str, List[Dict[str, Any]]] = {}
    cmds = {**commands(scenario, arg), **(extra or {})}
    for r in range(ROUNDS):
        wait_for_quiet_round(scenario)
        for name, cmd in cmds.items():
            raw.setdefault(name, []).append(run_json(cmd, env))
        log(f"{scenario}: round {r + 1}/{ROUNDS} done")
    return raw


def collect(raw: Dict[str, List[Dict[str, Any]]], metrics: Dict[str, str]) -> Dict[str, Any]:
    """``{impl: {metric: stats}}`` from the raw outputs, for the given metric paths."""
    out: Dict[str, Any] = {}
    for impl, runs in raw.items():
        for metric, path in metrics.items():
            try:
                values = [dig(run, path) for run in runs]
            except KeyError:
                continue
            out.setdefault(impl, {})[metric] = stats(values)
    return out


def scenario_sign(env: Dict[str, str]) -> Dict[str, Any]:
    raw = rounds_of("sign", env)
    return collect(
        raw,
        {
            "sign_ops": "sign_ops",
            "serialize_sign_ops": "serialize_sign_ops",
            "floor_ops": "floor_ops",
            "build_json_ops": "build_json_ops",
            "body_bytes": "body_bytes",
            "official_body_bytes": "official_body_bytes",
        },
    )


def scenario_seq(env: Dict[str, str]) -> Dict[str, Any]:
    # The HTTP floors (pre-signed requests over the bare HTTP stacks) run in the same rounds.
    floors = {
        "node.floor": ["node", str(NODE_BENCH), "seq", "floor"],
        "python.floor": [str(VENV_PY), str(PY_BENCH), "seq", "floor"],
    }
    raw = rounds_of("seq", env, extra=floors)
    metrics = {}
    for action in ("cancel", "create", "describe"):
        for m in ("calls_per_s", "p50_us", "p99_us", "calls"):
            metrics[f"{action}.{m}"] = f"{action}.{m}"
    return collect(raw, metrics)


def scenario_conc(env: Dict[str, str]) -> Dict[str, Any]:
    raw = rounds_of("conc", env)
    return collect(raw, {"calls_per_s": "calls_per_s", "calls": "calls"})


def paired(name: str, base: str, timings: Dict[str, List[float]]) -> Dict[str, Any]:
    """Per-round differences ``name - base`` (the overhead above the empty process)."""
    return stats([a - b for a, b in zip(timings[name], timings[base])])


def scenario_cold(env: Dict[str, str]) -> Dict[str, Any]:
    """4. Cold start: wall time of a new process that loads the client and makes one call,
    and of an empty process of the same runtime, interleaved, COLD_ROUNDS times."""
    node_cold = ["node", str(BENCH / "node" / "cold.js")]
    py_cold = [str(VENV_PY), str(BENCH / "python" / "cold.py")]
    cmds = {
        "node.empty": ["node", str(BENCH / "node" / "empty.js")],
        "node.ours": [*node_cold, "ours"],
        "node.official-essbasic": [*node_cold, "official-essbasic"],
        "node.official": [*node_cold, "official"],
        "node.wasm": [*node_cold, "wasm"],
        "python.empty": [str(VENV_PY), str(BENCH / "python" / "empty.py")],
        "python.ours": [*py_cold, "ours"],
        "python.official": [*py_cold, "official"],
        "rust.ours": [str(RUST_BENCH), "cold"],
    }
    for cmd in cmds.values():  # one untimed run each: file caches warm for every runtime alike
        spawn(cmd, env, capture=False)
    times: Dict[str, List[float]] = {k: [] for k in cmds}
    for r in range(COLD_ROUNDS):
        if r % 5 == 0:
            wait_for_quiet_round("cold")
        for name, cmd in cmds.items():
            _, wall = spawn(cmd, env, capture=False)
            times[name].append(wall * 1000)
        if (r + 1) % 5 == 0:
            log(f"cold: round {r + 1}/{COLD_ROUNDS} done")
    out: Dict[str, Any] = {}
    for name in cmds:
        out[name] = {"ms": stats(times[name])}
        runtime = name.split(".")[0]
        if not name.endswith(".empty") and runtime != "rust":
            out[name]["overhead_ms"] = paired(name, f"{runtime}.empty", times)
    return out


def scenario_rss(env: Dict[str, str]) -> Dict[str, Any]:
    """5. Peak RSS (VmHWM, read by each process itself at its end) of a process making
    RSS_CALLS sequential calls and of an empty process of the same runtime, interleaved; and
    VmHWM after 1,000 and RSS_CALLS / 2 calls, to show whether it grows with the calls.
    (wait4's ru_maxrss is not used: it also counts the forked driver's pages before exec.)"""
    calls = commands("rss", str(RSS_CALLS))
    cmds = {
        "node.empty": ["node", str(BENCH / "node" / "empty.js"), "--hwm"],
        "node.ours": calls["node.ours"],
        "node.official": calls["node.official"],
        "python.empty": [str(VENV_PY), str(BENCH / "python" / "empty.py"), "--hwm"],
        "python.ours": calls["python.ours"],
        "python.official": calls["python.official"],
        "rust.ours": calls["rust.ours"],
    }
    marks: Dict[str, List[Dict[str, int]]] = {k: [] for k in cmds}
    for r in range(ROUNDS):
        wait_for_quiet_round("rss")
        for name, cmd in cmds.items():
            marks[name].append(run_json(cmd, env)["hwm_kb"])
        log(f"rss: round {r + 1}/{ROUNDS} done")
    end = "end"
    half = str(RSS_CALLS // 2)
    peak = {k: [float(m[end]) for m in v] for k, v in marks.items()}
    result: Dict[str, Any] = {}
    for name in cmds:
        result[name] = {"peak_kb": stats(peak[name])}
        if name.endswith(".empty"):
            continue
        runtime = name.split(".")[0]
        first = [float(m["1000"]) for m in marks[name]]
        result[name]["hwm_1000_kb"] = stats(first)
        result[name]["hwm_half_kb"] = stats([float(m[half]) for m in marks[name]])
        result[name]["growth_kb"] = stats([b - a for a, b in zip(first, peak[name])])
        if runtime != "rust":
            result[name]["excess_kb"] = paired(name, f"{runtime}.empty", peak)
    return result


# -- footprint ----------------------------------------------------------------------------


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def record_bytes(site: Path, dist: str) -> int:
    """The installed size of a distribution: the files its RECORD lists."""
    info = next(site.glob(f"{dist.replace('-', '_')}-*.dist-info"))
    total = 0
    for line in (info / "RECORD").read_text().splitlines():
        path = line.split(",")[0]
        f = site / path
        if f.is_file():
            total += f.stat().st_size
    return total


def footprint() -> Dict[str, Any]:
    """6. Install footprint: npm package unpacked, wheel installed, .wasm gzipped."""
    pack = json.loads(
        subprocess.run(
            ["npm", "pack", "--dry-run", "--json"], cwd=STAGE, check=True, capture_output=True, text=True
        ).stdout
    )[0]
    official_pkg = BENCH / "node_modules" / "tencentcloud-sdk-nodejs"
    wasm = (STAGE / "wasm" / "essbasic_wasm_bg.wasm").read_bytes()
    site = next((VENV / "lib").glob("python3*/site-packages"))
    official_deps = ["requests", "urllib3", "certifi", "charset-normalizer", "idna"]
    wheel = next((WORK / "dist").glob("essbasic-*.whl"))
    return {
        "npm_unpacked_bytes": pack["unpackedSize"],
        "npm_packed_bytes": pack["size"],
        "npm_files": pack["entryCount"],
        "official_npm_unpacked_bytes": tree_bytes(official_pkg),
        "official_npm_with_deps_bytes": tree_bytes(BENCH / "node_modules")
        - (BENCH / "node_modules" / ".package-lock.json").stat().st_size,
        "native_addon_bytes": (STAGE / "essbasic.linux-x64-gnu.node").stat().st_size,
        "wasm_bytes": len(wasm),
        "wasm_gzip_bytes": len(gzip.compress(wasm, compresslevel=9)),
        "wheel_file_bytes": wheel.stat().st_size,
        "wheel_installed_bytes": record_bytes(site, "essbasic"),
        "official_wheel_installed_bytes": record_bytes(site, "tencentcloud-sdk-python-common")
        + record_bytes(site, "tencentcloud-sdk-python-essbasic"),
        "official_wheel_with_deps_bytes": record_bytes(site, "tencentcloud-sdk-python-common")
        + record_bytes(site, "tencentcloud-sdk-python-essbasic")
        + sum(record_bytes(site, d) for d in official_deps),
    }


# -- the machine --------------------------------------------------------------------------


def version_of(cmd: List[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine() -> Dict[str, Any]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    site = next((VENV / "lib").glob("python3*/site-packages"))

    def dist_version(dist: str) -> str:
        info = next(site.glob(f"{dist.replace('-', '_')}-*.dist-info"))
        return info.name[: -len(".dist-info")].split("-")[-1]

    official_node = json.loads(
        (BENCH / "node_modules" / "tencentcloud-sdk-nodejs" / "package.json").read_text()
    )
    ours_node = json.loads((STAGE / "package.json").read_text())
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "kernel": platform.release(),
        "node": version_of(["node", "--version"]),
        "python": version_of([str(VENV_PY), "--version"]),
        "rustc": version_of(["rustc", "--version"]),
        "essbasic_node": ours_node["version"],
        "essbasic_python": dist_version("essbasic"),
        "tencentcloud_sdk_nodejs": official_node["version"],
        "tencentcloud_sdk_python_common": dist_version("tencentcloud-sdk-python-common"),
        "tencentcloud_sdk_python_essbasic": dist_version("tencentcloud-sdk-python-essbasic"),
        "commit": version_of(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "dirty": bool(
            version_of(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "status",
                    "--porcelain",
                    "--",
                    "core",
                    "bindings-node",
                    "bindings-python",
                    "bindings-wasm",
                ]
            )
        ),
    }


# -- main ---------------------------------------------------------------------------------


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.time()
    load_before = wait_for_quiet()
    log(f"load average before: {load_before}")
    stateless = Emulator("--stateless")
    stateful = Emulator()
    try:
        env = child_env(
            {
                "BENCH_FIXTURES": str(BENCH / "fixtures.json"),
                "BENCH_FLOWS": str(WORK / "flows.json"),
                "EMU_STATELESS": stateless.url,
                "EMU_STATEFUL": stateful.url,
                "ESSBASIC_NODE": str(STAGE),
                "BENCH_SECS": os.environ.get("BENCH_SECS", "1"),
            }
        )
        flows = run_json([str(RUST_BENCH), "setup"], env)
        (WORK / "flows.json").write_text(json.dumps(flows))
        log(f"stateful emulator: {len(flows['flow_ids'])} flows, a {flows['response_bytes']} byte answer")

        results: Dict[str, Any] = {"scenarios": {}, "load": {"before": load_before}}
        only = [s for s in os.environ.get("BENCH_ONLY_SCENARIOS", "").split(",") if s]
        if only and RESULTS.exists():
            # A partial run (development): keep the other scenarios of the last full run.
            previous = json.loads(RESULTS.read_text())
            results["scenarios"] = previous.get("scenarios", {})
            results["load"] = {**previous.get("load", {}), "before": load_before}
        steps: List[Tuple[str, Callable[[Dict[str, str]], Dict[str, Any]]]] = [
            ("sign", scenario_sign),
            ("seq", scenario_seq),
            ("conc", scenario_conc),
            ("cold", scenario_cold),
            ("rss", scenario_rss),
        ]
        for name, fn in steps:
            if only and name not in only:
                continue
            results["load"][name] = list(os.getloadavg())
            t = time.time()
            results["scenarios"][name] = fn(env)
            log(f"{name}: {time.time() - t:.0f} s")
        results["load"]["after"] = list(os.getloadavg())
        results["foreign_cpu_before_rounds"] = QUIET
        results["describe_response_bytes"] = flows["response_bytes"]
        results["footprint"] = footprint()
        results["machine"] = machine()
        results["settings"] = {
            "rounds": ROUNDS,
            "cold_rounds": COLD_ROUNDS,
            "secs_per_measurement": float(env["BENCH_SECS"]),
            "rss_calls": RSS_CALLS,
            "emulator": f"{PROFILE} build, --workers 1, one --stateless and one stateful instance",
        }
        results["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started))
        results["duration_s"] = round(time.time() - started)
    finally:
        stateless.stop()
        stateful.stop()
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    log(f"wrote {RESULTS} ({results['duration_s']} s)")


if __name__ == "__main__":
    main()
