"""One benchmark step in lifelines (+ pandas, statsmodels): python3 step.py DATA.csv STEP

Prints "load <s>", "step <s>" (elapsed seconds inside the process) and "check <number>".
STEP: load | km | logrank | cox | zph | iptw | cif (lifelines has no Gray test and no
Fine–Gray model: cif times the Aalen–Johansen curves only). Not a test.
"""
import sys
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")


def el(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def design(d):
    """Dummy-coded covariates against the same references as the R script and the spec."""
    x = pd.DataFrame({
        "age": d["age"], "sex_M": (d["sex"] == "M") * 1.0,
        "ecog_1": (d["ecog"] == 1) * 1.0, "ecog_2": (d["ecog"] == 2) * 1.0,
        "n_liver_lesions": d["n_liver_lesions"], "extra_Yes": (d["extrahepatic"] == "Yes") * 1.0,
        "tumour_size_cm": d["tumour_size_cm"], "mitotic_index": d["mitotic_index"],
        "kit_9": (d["kit_exon"].astype(str) == "9") * 1.0,
        "kit_other": (d["kit_exon"].astype(str) == "other") * 1.0,
    })
    return x


def groups(d):
    return pd.DataFrame({"g_hr": (d["treatment"] == "IM+HR") * 1.0,
                         "g_rfa": (d["treatment"] == "IM+RFA/TACE") * 1.0})


def main():
    path, step = sys.argv[1], sys.argv[2]
    t_load, d = el(lambda: pd.read_csv(path))
    from lifelines import CoxPHFitter, KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test, proportional_hazard_test
    surv = d[["os_months", "status"]]
    check = float("nan")
    if step == "load":
        t_step = 0.0
    elif step == "km":
        def km():
            med = {}
            for g, sub in d.groupby("treatment"):
                med[g] = KaplanMeierFitter().fit(sub["os_months"], sub["status"]).median_survival_time_
            return med["IM"]
        t_step, check = el(km)
    elif step == "logrank":
        t_step, check = el(lambda: multivariate_logrank_test(
            d["os_months"], d["treatment"], d["status"]).test_statistic)
    elif step in ("cox", "zph"):
        df = pd.concat([surv, groups(d), design(d)], axis=1)
        t_fit, cph = el(lambda: CoxPHFitter().fit(df, "os_months", "status"))
        if step == "cox":
            t_step, check = t_fit, cph.params_["g_hr"]
        else:
            t_step, res = el(lambda: proportional_hazard_test(cph, df, time_transform="km"))
            check = float(np.sum(res.test_statistic))
    elif step == "iptw":
        import statsmodels.api as sm

        def iptw():
            x = sm.add_constant(design(d))
            code = d["treatment"].map({"IM": 0, "IM+HR": 1, "IM+RFA/TACE": 2})
            pr = sm.MNLogit(code, x).fit(disp=0, maxiter=100).predict(x)
            w = 1.0 / np.asarray(pr)[np.arange(len(d)), code.to_numpy()]
            df = pd.concat([surv, groups(d)], axis=1).assign(w=w)
            cph = CoxPHFitter().fit(df, "os_months", "status", weights_col="w", robust=True)
            return cph.params_["g_hr"]
        t_step, check = el(iptw)
    elif step == "cif":
        from lifelines import AalenJohansenFitter

        def cif():
            code = d["cr_status"].map({"alive": 0, "died_gist": 1, "died_other": 2})
            at60 = {}
            for g, sub in d.assign(code=code).groupby("treatment"):
                for cause in (1, 2):
                    aj = AalenJohansenFitter(calculate_variance=True)  # jitters tied times (its default)
                    aj.fit(sub["cr_months"], sub["code"], event_of_interest=cause)
                    if cause == 1:
                        at60[g] = float(aj.cumulative_density_.loc[:60].iloc[-1, 0])
            return at60["IM"]
        t_step, check = el(cif)
    else:
        raise SystemExit(f"unknown step {step}")
    print(f"load {t_load:.3f}\nstep {t_step:.3f}\ncheck {check:.10g}")


if __name__ == "__main__":
    main()
