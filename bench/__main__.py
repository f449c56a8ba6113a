"""`python -m bench`: every benchmark in turn."""

from bench.insights_bench import main

if __name__ == "__main__":
    main()
