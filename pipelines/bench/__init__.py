"""`gongkai bench`: time every stage of the pipeline at a chosen scale against the obvious alternatives.

- `data`      — where the benchmark ledgers come from (generated once into a cache dir) and the run's work tree
- `child`     — run one measurement in a fresh (spawned) process: its wall time and its own peak memory
- `stages`    — the pipeline's public functions, stage by stage, and the whole year through Dagster
- `baselines` — the floor (DuckDB count(*)), a plain DuckDB SQL script, a straightforward pandas script
- `totals`    — grand totals of tables P, A, R and channels, to prove every baseline computes the same numbers
- `main`      — the run: which measurements, in which order, the ratios and the targets
- `report`    — the text table
"""
