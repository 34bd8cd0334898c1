#!/usr/bin/env python3
"""The same work as `opora import scores FILE && opora stats --year Y --procedure VPR --format json`,
done with pandas: parse the CSV and compute per school x grade x subject the success rate, quality rate,
mean mark, SOU, share below the minimum (mark 2) and the objectivity shares. Prints the number of groups."""
import json
import sys

import pandas as pd


def main(path: str) -> None:
    df = pd.read_csv(path, dtype={"school": "string", "subject": "string", "procedure": "string", "student": "string",
                                  "class": "string", "variant": "string"})
    df = df[df["procedure"] == "VPR"]
    marks = df["mark"]
    df = df.assign(
        m2=(marks == 2).astype("int32"), m3=(marks == 3).astype("int32"), m4=(marks == 4).astype("int32"), m5=(marks == 5).astype("int32"),
        lowered=(marks < df["term_mark"]).astype("int32"), confirmed=(marks == df["term_mark"]).astype("int32"),
        raised=(marks > df["term_mark"]).astype("int32"),
        compared=(marks.notna() & df["term_mark"].notna()).astype("int32"),
    )
    g = df.groupby(["school", "year", "grade", "subject"], sort=True).agg(
        n=("student", "size"), m2=("m2", "sum"), m3=("m3", "sum"), m4=("m4", "sum"), m5=("m5", "sum"),
        lowered=("lowered", "sum"), confirmed=("confirmed", "sum"), raised=("raised", "sum"), compared=("compared", "sum"))
    n = g["n"]
    out = pd.DataFrame({
        "participants": n,
        "success_rate": (g["m3"] + g["m4"] + g["m5"]) / n * 100,
        "quality_rate": (g["m4"] + g["m5"]) / n * 100,
        "mean_mark": (2 * g["m2"] + 3 * g["m3"] + 4 * g["m4"] + 5 * g["m5"]) / (g["m2"] + g["m3"] + g["m4"] + g["m5"]),
        "sou": (g["m5"] + 0.64 * g["m4"] + 0.36 * g["m3"] + 0.16 * g["m2"]) / n * 100,
        "below_min_rate": g["m2"] / n * 100,
        "confirmed_rate": g["confirmed"] / g["compared"] * 100,
    }).round(2).reset_index()
    text = out.to_json(orient="records", force_ascii=False)
    print(f"groups: {len(out)}", file=sys.stderr)
    sys.stdout.write(text[:200] + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
