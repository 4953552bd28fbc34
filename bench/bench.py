"""Benchmark of the offline preview: synthesis, policy evaluation and pricing, timed separately.

    .venv/bin/python bench/bench.py [--sizes 150 1500 10000] [--runs 3] [--stack prod] [--readme README.md]

For each size N it writes a synthetic program of N resources in the issue's mix to `bench/out/synthetic/`
(one stack per size), then takes the median of `--runs` runs of:
- plain mocks: the program under the SDK's stock mocks (`bench/plain_mocks.py`), the floor;
- synthesis: `preview.synthesize` (our mocks, outputs, streaming, inventory);
- policy: `policies.analyzer.run_pack` over that inventory (pack start-up included);
- pricing: `cost.estimate` over that inventory;
- preview: the whole `python -m preview --format json` command, where the pack analyzes resources while the
  program still runs, with the peak resident memory of its largest process (the command, the program's
  synthesis child or the pack), as GNU time's maximum resident set size reports it (`wait4`'s `ru_maxrss`).
Our own program's `--stack` is measured the same way. The table replaces the README's performance section
between `<!-- bench:start -->` and `<!-- bench:end -->` (printed only when the markers are missing).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inventory import Inventory, synthesize  # noqa: E402

OUT = REPO / "bench" / "out" / "synthetic"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
CHECKOV_S = {150: 4.9, 1500: 26.0}
"""Checkov's median on the Terraform twin of the same mix, as measured in issue 4 on this kind of machine."""


@dataclass
class Timing:
    label: str
    resources: int
    plain_s: float
    synth_s: float
    policy_s: float
    pricing_s: float
    preview_s: float
    peak_mb: float

    @property
    def overhead(self) -> float:
        """What the pack and pricing add to bare synthesis in the end-to-end command."""
        return self.preview_s / self.synth_s - 1


def write_program(sizes: list[int]) -> Path:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    shutil.copy(REPO / "bench" / "program_template.py", OUT / "__main__.py")
    (OUT / "Pulumi.yaml").write_text(
        "name: bench\nruntime: python\ndescription: synthetic benchmark program\n"
    )
    for n in sizes:
        (OUT / f"Pulumi.n{n}.yaml").write_text(f"config:\n  aws:region: us-east-1\n  bench:count: {n}\n")
    return OUT


def median_time(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _run(args: list[str]) -> float:
    """Run a command (exit 0 or 1 expected); the peak RSS (MB) of its largest process or descendant."""
    with subprocess.Popen(
        args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stderr is not None
        errors = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{errors}")
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def median_run(args: list[str], runs: int) -> tuple[float, float]:
    """The median seconds of `runs` runs of a command and the largest peak RSS (MB) seen."""
    peaks: list[float] = []
    seconds = median_time(lambda: peaks.append(_run(args)), runs)
    return seconds, max(peaks)


def measure(label: str, program: Path, stack: str, runs: int) -> Timing:
    from cost import estimate
    from policies.analyzer import run_pack

    inventory: Inventory = synthesize(program, stack)
    python = sys.executable
    preview_s, peak_mb = median_run(
        [python, "-m", "preview", "--program", str(program), "--stack", stack, "--format", "json"], runs
    )
    return Timing(
        label=label,
        resources=len(inventory.custom()),
        plain_s=median_time(lambda: _run([python, "bench/plain_mocks.py", str(program), stack]), runs),
        synth_s=median_time(lambda: synthesize(program, stack), runs),
        policy_s=median_time(lambda: run_pack(inventory), runs),
        pricing_s=median_time(lambda: estimate(inventory), runs),
        preview_s=preview_s,
        peak_mb=peak_mb,
    )


def table(timings: list[Timing], runs: int) -> str:
    lines = [
        f"Median of {runs} runs on {os.cpu_count()} cores ({platform.machine()}, "
        f"Python {platform.python_version()}), `.venv/bin/python bench/bench.py`. Seconds.",
        "",
        "| Program | Resources | Plain SDK mocks | Synthesis | Policy pack | Pricing | `python -m preview` "
        "| Peak RSS (MB) | Pack + pricing overhead | Checkov (issue 4) | Speed-up vs Checkov |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        checkov = CHECKOV_S.get(t.resources)
        versus = f"{checkov:.1f} | {checkov / t.preview_s:.1f}x" if checkov else "n/a | n/a"
        lines.append(
            f"| {t.label} | {t.resources} | {t.plain_s:.2f} | {t.synth_s:.2f} | {t.policy_s:.2f} | "
            f"{t.pricing_s:.2f} | {t.preview_s:.2f} | {t.peak_mb:.0f} | {t.overhead:+.0%} | {versus} |"
        )
    lines += [
        "",
        "Synthesis includes the child process start, the program's imports and our mocks; the policy pack",
        "column includes starting the pack. `python -m preview` overlaps the pack with synthesis (resources",
        "are analyzed as they register), so it costs less than the sum of the columns. Peak RSS is the",
        "largest process of that command (GNU time's maximum resident set size).",
    ]
    return "\n".join(lines)


def update_readme(readme: Path, text: str) -> bool:
    content = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    if START not in content or END not in content:
        return False
    head, rest = content.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[150, 1500, 10000], help="synthetic program sizes"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--stack", default="prod", help="stack of our own program to measure ('' to skip)")
    parser.add_argument("--readme", type=Path, default=REPO / "README.md", help="README to update")
    args = parser.parse_args(argv)
    program = write_program(args.sizes)
    timings = [measure(f"synthetic mix, N={n}", program, f"n{n}", args.runs) for n in args.sizes]
    if args.stack:
        timings.append(measure(f"our program, {args.stack} stack", REPO, args.stack, args.runs))
    text = table(timings, args.runs)
    print(text)
    if update_readme(args.readme, text):
        print(f"\nupdated the performance section of {args.readme}", file=sys.stderr)
    else:
        print(f"\n{args.readme} has no {START} … {END} markers; nothing written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
