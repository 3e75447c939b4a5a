#!/usr/bin/env python3
"""Deterministic GIST-like cohort generator for benchmarks.

Three treatment groups (IM, IM+HR, IM+RFA/TACE) whose assignment depends on the
covariates (confounding), 8 covariates of mixed types, Weibull survival times rounded
to 0.1 month (heavy ties) and uniform administrative censoring capped at 200 months. For the competing-risks steps,
`cr_months` / `cr_status` add death from another cause (Weibull, rising with age, drawn
from a second generator so the other columns stay as they were): `died_gist` (the event
of interest), `died_other` (competing) or `alive` at min(GIST death, other death,
censoring).
For the emulation and imputation steps (drawn from a third generator, so every other
column stays as it was): `local_months`, the time of local treatment of the IM+HR and
IM+RFA/TACE rows (uniform on the first 10 months of follow-up, rounded to 0.1 month and
below the row's follow-up time; empty in IM, never treated locally, and for a treated
row whose follow-up is too short to hold one), and `size_mis`, `mitotic_mis`: tumour size
and mitotic index with about 15 % and 10 % of cells empty, more often in older patients
(missing at random given age).

Usage: benches/gen_cohort.py N OUT.csv [SEED]
"""
import math
import random
import sys


def main():
    n = int(float(sys.argv[1]))
    out = sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261126
    rng = random.Random(seed)
    rng_other = random.Random(seed + 1)
    rng_more = random.Random(seed + 2)
    groups = ["IM", "IM+HR", "IM+RFA/TACE"]
    with open(out, "w", newline="") as f:
        f.write("patient_id,os_months,status,treatment,age,sex,ecog,n_liver_lesions,"
                "extrahepatic,tumour_size_cm,mitotic_index,kit_exon,center,cr_months,cr_status,"
                "local_months,size_mis,mitotic_mis\n")
        for i in range(n):
            age = min(90.0, max(18.0, rng.gauss(58, 11)))
            sex = "M" if rng.random() < 0.55 else "F"
            ecog = 0 if rng.random() < 0.55 else (1 if rng.random() < 0.7 else 2)
            lesions = 1 + int(rng.expovariate(0.45))
            extra = "Yes" if rng.random() < 0.2 else "No"
            size = round(rng.lognormvariate(1.6, 0.5), 1)
            mitotic = round(rng.lognormvariate(1.5, 0.9), 1)
            kit = rng.choices(["11", "9", "other"], [0.7, 0.15, 0.15])[0]
            center = rng.choice("ABC")
            # confounded assignment (multinomial logit)
            lp_hr = 0.8 - 0.04 * (age - 58) - 0.35 * (lesions - 2) - 1.0 * (extra == "Yes") - 0.4 * ecog
            lp_rfa = -1.2 - 0.01 * (age - 58) - 0.1 * (lesions - 2)
            den = 1 + math.exp(lp_hr) + math.exp(lp_rfa)
            u = rng.random()
            g = 1 if u < math.exp(lp_hr) / den else (2 if u < (math.exp(lp_hr) + math.exp(lp_rfa)) / den else 0)
            lp = (0.02 * (age - 58) + 0.25 * ecog + 0.08 * (lesions - 2) + 0.5 * (extra == "Yes")
                  + 0.15 * math.log(mitotic + 1) + 0.3 * (kit != "11") - [0.0, 0.9, 0.1][g])
            scale = 150.0 * math.exp(-lp / 1.3)
            t = scale * (-math.log(1 - rng.random())) ** (1 / 1.3)
            c = min(200.0, rng.uniform(6, 240))
            time = round(min(t, c), 1)
            status = 1 if t <= c else 0
            scale_other = 220.0 * math.exp(-0.05 * (age - 58))
            t_other = scale_other * (-math.log(1 - rng_other.random())) ** (1 / 1.5)
            end = min(t, t_other, c)
            cr_status = "alive" if end == c else ("died_gist" if end == t else "died_other")
            local = ""
            u = round(rng_more.uniform(0, 10), 1)
            if g > 0 and u < time:
                local = f"{u}"
            older = 1.5 if age > 65 else 0.75
            size_mis = "" if rng_more.random() < 0.15 * older else f"{size}"
            mitotic_mis = "" if rng_more.random() < 0.10 * older else f"{mitotic}"
            f.write(f"P{i + 1:07d},{time},{status},{groups[g]},{age:.1f},{sex},{ecog},{lesions},"
                    f"{extra},{size},{mitotic},{kit},{center},{round(end, 1)},{cr_status},"
                    f"{local},{size_mis},{mitotic_mis}\n")


if __name__ == "__main__":
    main()
