#!/usr/bin/env python3
"""Writes a region's task-level ВПР file for Benchmarks/tasks.sh: SCHOOLS schools (40 municipalities), PUPILS pupils each
(±20 %), 15 tasks (24 points, tasks 13–15 advanced), about 3 % of cells «Х». Also schools.csv and tasks.csv.
Usage: generate-tasks.py OUT_DIR [SCHOOLS] [PUPILS]"""
import os
import sys

import numpy as np

MAXIMA = [1, 1, 1, 2, 1, 2, 1, 1, 2, 2, 1, 2, 2, 2, 3]
TASKS = [str(i + 1) for i in range(len(MAXIMA))]


def main(out: str, schools: int, pupils: int) -> None:
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(2025)
    with open(os.path.join(out, "schools.csv"), "w", encoding="utf-8") as f:
        f.write("code,name,municipality,region\n")
        for s in range(schools):
            f.write(f"T{s + 1:04d},МБОУ «СОШ № {s + 1}»,Район {s % 40 + 1},Бенчмаркская область\n")
    with open(os.path.join(out, "tasks.csv"), "w", encoding="utf-8") as f:
        f.write("year,procedure,grade,subject,task,max_points,requirement,block,level\n")
        for i, (task, top) in enumerate(zip(TASKS, MAXIMA)):
            level = "advanced" if i >= 12 else "basic"
            f.write(f"2025,VPR,5,math,{task},{top},Умение {task},Блок {i % 4 + 1},{level}\n")
    maxima = np.array(MAXIMA)
    ease = np.linspace(0.85, 0.2, len(MAXIMA))
    total = 0
    with open(os.path.join(out, "task_scores.csv"), "w", encoding="utf-8") as f:
        f.write("year,procedure,grade,subject,school,student,class,mark,term_mark," + ",".join(TASKS) + "\n")
        for s in range(schools):
            n = int(pupils * rng.uniform(0.8, 1.2))
            level = rng.normal(0, 0.12)
            p = np.clip(ease + level, 0.02, 0.98)
            points = rng.binomial(np.tile(maxima, (n, 1)), np.tile(p, (n, 1)))
            skipped = (points == 0) & (rng.random((n, len(MAXIMA))) < 0.3)
            primary = points.sum(axis=1)
            mark = np.select([primary < 6, primary < 12, primary < 18], [2, 3, 4], 5)
            term = np.clip(mark + rng.integers(-1, 2, n), 2, 5)
            code = f"T{s + 1:04d}"
            lines = []
            for i in range(n):
                cells = ["Х" if skipped[i, t] else str(points[i, t]) for t in range(len(MAXIMA))]
                lines.append(f"2025,VPR,5,math,{code},{code}-{i + 1},5{'АБВГ'[i % 4]},{mark[i]},{term[i]}," + ",".join(cells))
            f.write("\n".join(lines) + "\n")
            total += n
    print(total)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000, int(sys.argv[3]) if len(sys.argv) > 3 else 1000)
