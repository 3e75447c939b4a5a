# The table1 reference cases: data as exported (all text), spec, description.
# Sourced by make_reference_table1.R; defines CASES_TABLE1. Deterministic.

CASES_TABLE1 <- list()
add1 <- function(...) CASES_TABLE1[[length(CASES_TABLE1) + 1]] <<- list(...)

# 1. lung: 2 groups; numeric with NA; a rare binary (ECOG 3) -> 2x2 with expected < 5 -> Fisher
local({
  x <- survival::lung
  df <- data.frame(time_days = chr(x$time), status = chr(x$status),
                   sex = ifelse(x$sex == 1, "M", "F"), age = chr(x$age),
                   ph_ecog = chr(x$ph.ecog),
                   ecog_3 = ifelse(is.na(x$ph.ecog), "NA", ifelse(x$ph.ecog >= 3, "yes", "no")),
                   ph_karno = chr(x$ph.karno), meal_cal = chr(x$meal.cal), wt_loss = chr(x$wt.loss))
  add1(name = "table1_lung", source = "survival::lung",
       description = "2 groups (sex); numeric covariates with NA (meal_cal 47 missing, wt_loss, ph_karno); ph_ecog as categorical (4 levels, 1 missing); ecog_3 yes/no with 1 'yes' -> Fisher; table1 {} describes the spec's covariates; the NA-covariate rows stay in",
       data = df,
       spec = list(time = list(column = "time_days"), event = list(column = "status"),
                   group = list(column = "sex", reference = "M", levels = arr(c("M", "F"))),
                   covariates = list(list(column = "age"), list(column = "ph_ecog", type = "categorical"),
                                     list(column = "ecog_3"), list(column = "ph_karno"),
                                     list(column = "meal_cal"), list(column = "wt_loss")),
                   table1 = obj()))
})

# 2. colon (deaths): 3 arms; categorical with 3 and 4 levels and empty-cell missing; named list
local({
  x <- survival::colon; x <- x[x$etype == 2, ]
  df <- data.frame(id = chr(x$id), time = chr(x$time), status = chr(x$status), rx = as.character(x$rx),
                   sex = ifelse(x$sex == 1, "male", "female"), age = chr(x$age),
                   obstruct = chr(x$obstruct), differ = chr(x$differ, na = ""),
                   extent = chr(x$extent), nodes = chr(x$nodes, na = ""), surg = ifelse(x$surg == 1, "long", "short"))
  add1(name = "table1_colon", source = "survival::colon[etype == 2, ]",
       description = "3 arms without levels (reference Obs); table1 names columns: differ typed categorical by the spec's covariates (3 levels, 23 empty cells), extent detected numeric (1-4), obstruct typed categorical with reference '1' in the spec; nodes numeric with empty cells (not in the spec's covariates: detected); sex, surg detected categorical; complete-case rows of the main analysis differ from the described rows",
       data = df,
       spec = list(time = list(column = "time"), event = list(column = "status"),
                   group = list(column = "rx", reference = "Obs"),
                   covariates = list(list(column = "age"), list(column = "differ", type = "categorical"),
                                     list(column = "obstruct", reference = "1")),
                   table1 = list(covariates = arr(c("age", "sex", "differ", "extent", "nodes", "obstruct", "surg")))))
})

# 3. veteran: 4 cell types; numeric and 2-level categoricals; 3 x 4 chi-square
local({
  x <- survival::veteran
  df <- data.frame(trt = ifelse(x$trt == 1, "standard", "test"), celltype = as.character(x$celltype),
                   time = chr(x$time), status = chr(x$status), karno = chr(x$karno),
                   diagtime = chr(x$diagtime), age = chr(x$age), prior = ifelse(x$prior == 10, "yes", "no"),
                   karno_band = cut(x$karno, c(0, 40, 70, 100), labels = c("<=40", "41-70", ">70")))
  df$karno_band <- as.character(df$karno_band)
  add1(name = "table1_veteran", source = "survival::veteran",
       description = "4 groups (celltype, reference squamous, no levels); karno, diagtime, age numeric; trt and prior 2 levels (2 x 4 chi-square); karno_band 3 levels (3 x 4 chi-square); 6 SMD pairs",
       data = df,
       spec = list(time = list(column = "time"), event = list(column = "status"),
                   group = list(column = "celltype", reference = "squamous"),
                   covariates = list(list(column = "karno"), list(column = "diagtime"), list(column = "age"),
                                     list(column = "trt"), list(column = "prior"), list(column = "karno_band")),
                   table1 = obj()))
})

# 4. pbc: 2 arms, trt '.' -> missing (not described); many NA covariates; edema 3 levels
local({
  x <- survival::pbc
  df <- data.frame(id = chr(x$id), time = chr(x$time), status = chr(x$status),
                   trt = ifelse(is.na(x$trt), ".", ifelse(x$trt == 1, "D-penicillamine", "placebo")),
                   age = sprintf("%.6f", x$age), sex = as.character(x$sex),
                   ascites = chr(x$ascites, na = "."), edema = chr(x$edema), bili = chr(x$bili),
                   chol = chr(x$chol, na = "."), platelet = chr(x$platelet, na = "."),
                   stage = chr(x$stage, na = "."))
  add1(name = "table1_pbc", source = "survival::pbc",
       description = "2 arms; 106 rows with trt '.' are not described; values ['2'] with censored_values; chol/platelet/ascites/stage with '.' -> missing, counted per group; edema (0/0.5/1) typed categorical; stage typed categorical with reference '4'; sex f/m",
       data = df,
       spec = list(time = list(column = "time"), event = list(column = "status", values = arr("2"), censored_values = arr(c("0", "1"))),
                   group = list(column = "trt", reference = "D-penicillamine", levels = arr(c("D-penicillamine", "placebo"))),
                   covariates = list(list(column = "age"), list(column = "sex"), list(column = "ascites"),
                                     list(column = "edema", type = "categorical"), list(column = "bili"),
                                     list(column = "chol"), list(column = "platelet"),
                                     list(column = "stage", type = "categorical", reference = "4")),
                   table1 = obj()))
})

# 5. the app's demo cohort with the app's demo spec plus "table1": {}
local({
  df <- read.csv(file.path("www", "demo", "gist_liver_mets_demo.csv"), colClasses = "character",
                 na.strings = character(0), check.names = FALSE)
  spec <- list(time = list(start = "lm_diagnosis_date", end = "last_contact_date", unit = "months", date_format = "auto"),
               event = list(column = "vital_status", values = arr("Dead")),
               group = list(column = "treatment", reference = "IM", levels = arr(c("IM", "IM+HR", "IM+RFA/TACE"))),
               covariates = lapply(c("age", "sex", "ecog", "n_liver_lesions", "extrahepatic", "tumour_size_cm",
                                     "mitotic_index", "kit_exon"), function(c) list(column = c)),
               km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(12, 36, 60, 120))),
               logrank = list(rho = 0, pairwise = "reference", adjust = "holm"),
               rmst = list(tau = 120), table1 = obj())
  add1(name = "table1_demo_gist", source = "www/demo/gist_liver_mets_demo.csv (synthetic, examples/demo_cohort.rs)",
       description = "the demo cohort with www/demo/demo_spec.json plus table1 {}: 3 groups, covariate cells 'NA'/'' -> missing and still described, kit_exon 3 levels (11, 9, other)",
       data = df, spec = spec)
})

# 6. synthetic edge cases, ';' with decimal commas
local({
  g <- c(rep("A", 7), rep("B", 6), rep("C", 2), "D", "A", "B", "C")
  n <- length(g)
  time <- c("1,5", "2", "3,25", "4", "5", "6", "7", "1", "2,5", "3", "4", "5", "6", "2", "3",
            "4", "", "-1", "2")            # row 17: missing time, row 18: negative: not described
  status <- c(1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0)
  x <- c("1,5", "2,25", "3", "4,5", "2", "NA", "3,75", "5", "6,5", "4", "7", "5,5", "6", "8", "9",
         "1", "2", "3", "10")
  x_sparse <- c("1", "2", "3", "4", "5", "6", "7", "2", "3", "4", "5", "6", "7", ".", "8", "1", "2", "3", ".")
  constant <- rep("3", n)
  cat3 <- c("x", "y", "x", "z", "x", "y", "x", "y", "y", "x", "y", "", "y", "y", "x", "z", "x", "y", "y")
  bin <- c("yes", "no", "no", "no", "no", "yes", "no", "no", "no", "no", "no", "no", "no", "NA", "NA",
           "yes", "yes", "no", "NA")
  df <- data.frame(grp = g, t = time, dead = as.character(status), x = x, x_sparse = x_sparse,
                   constant = constant, cat3 = cat3, bin = bin)
  add1(name = "table1_synth_edges", source = "synthetic", sep = ";",
       description = "';' file with decimal commas; levels A, B, C (D row: other_group, not described); a missing and a negative time (not described); group C with 2 rows; x_sparse: C has one value (sd null, every SMD null); constant: SMD null, tests null (no within-group variation, all tied); cat3 typed categorical with reference 'y' in the spec, 'z' only in A; bin: C all missing -> 2 x 2 over A and B, expected < 5 -> Fisher",
       data = df,
       spec = list(time = list(column = "t"), event = list(column = "dead"),
                   group = list(column = "grp", reference = "A", levels = arr(c("A", "B", "C"))),
                   covariates = list(list(column = "cat3", type = "categorical", reference = "y")),
                   table1 = list(covariates = arr(c("x", "x_sparse", "constant", "cat3", "bin")))))
})
