#!/usr/bin/env python3
"""The same work as `opora import task_scores FILE && opora tasks --region R --format json`, with pandas: read the
file, «Х» as 0 points, check every cell is 0…max, then per task the region's percent (points over participants × max),
the deficit rule and the histogram of primary scores 0…max. Usage: pandas_tasks.py task_scores.csv tasks.csv"""
import json
import sys

import pandas as pd


def main(path: str, spec_path: str) -> None:
    spec = pd.read_csv(spec_path, dtype={"task": "string"})
    tasks = list(spec["task"])
    maxima = dict(zip(spec["task"], spec["max_points"]))
    levels = dict(zip(spec["task"], spec["level"]))
    df = pd.read_csv(path, dtype={t: "string" for t in tasks} | {"school": "string", "student": "string", "class": "string"})
    points = df[tasks].replace({"Х": "0", "X": "0"}).apply(pd.to_numeric, errors="raise")
    if points.isna().any().any():
        raise SystemExit("empty cell")
    for t in tasks:
        if (points[t] > maxima[t]).any() or (points[t] < 0).any():
            raise SystemExit(f"over max in {t}")
    if df.duplicated(["year", "procedure", "grade", "subject", "school", "student"]).any():
        raise SystemExit("duplicate pupil")
    n = len(df)
    out = []
    for t in tasks:
        percent = points[t].sum() / (n * maxima[t]) * 100
        bar = 30 if levels[t] == "advanced" else 60
        out.append({"task": t, "max_points": int(maxima[t]), "percent": round(float(percent), 2), "deficit": bool(percent < bar)})
    primary = points.sum(axis=1)
    top = int(sum(maxima.values()))
    histogram = primary.value_counts().reindex(range(top + 1), fill_value=0)
    result = {"participants": n, "small": n < 5, "tasks": out,
              "histogram": [{"score": int(s), "count": int(c)} for s, c in histogram.items()]}
    print(json.dumps(result, ensure_ascii=False)[:300])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
