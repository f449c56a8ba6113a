"""`python -m bench [today|insights]`: every benchmark in turn, or the one named."""

import sys

from bench import insights_bench, today_bench

BENCHMARKS = {"today": today_bench.main, "insights": insights_bench.main}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"bench: unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    for name in chosen:
        BENCHMARKS[name]()
