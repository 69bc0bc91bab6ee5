"""homthu's benchmarks: each module is runnable with `python -m bench.NAME` (see bench/README.md)."""
