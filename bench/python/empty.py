"""The empty Python process of the cold-start and memory baselines (bench/run.sh). With
``--hwm`` it prints its own peak RSS (VmHWM, KiB) as the benchmarks do at their end."""

import sys

if sys.argv[1:] == ["--hwm"]:
    with open("/proc/self/status", encoding="ascii") as f:
        hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    print('{"hwm_kb": {"end": %d}}' % hwm)
