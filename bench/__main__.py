"""`python -m bench --sizes 200,2000`: see bench/run.py."""

from bench.run import main

main()
