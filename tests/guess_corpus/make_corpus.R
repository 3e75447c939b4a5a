# The guess corpus: realistic hospital exports of survival's colon, lung, pbc and
# veteran data (and made-up cohorts), written the way hospital systems write them —
# an MRN or ID column first, an age column early, dates in dd/mm/yyyy, mm/dd/yyyy,
# dd.mm.yyyy and ISO order, Dead/Alive, 死亡/存活, 0/1/2 status, Chinese and German
# headers, days and years columns, one .xlsx — and beside them manifest.tsv, the right
# mapping of each file (what a biostatistician would choose).
#
# Run from the repository root:  Rscript tests/guess_corpus/make_corpus.R
# Needs R with survival and openxlsx (Debian: r-cran-survival, r-cran-openxlsx).
# Deterministic: a fixed seed; at most 300 rows per file.
library(survival)
suppressPackageStartupMessages(library(openxlsx))
set.seed(16)
out <- "tests/guess_corpus"
manifest <- data.frame()

# file: name; time: a duration column, or "start|end" for two date columns;
# date_format: the contract's format of the dates ("" for a duration); unit: the
# unit of the follow-up; event, event_values: the event column and the values that
# mean the event, joined by ";" ("" when the user must choose: a status with three
# values); group: the comparison ("" for one curve).
note <- function(file, time, date_format, unit, event, event_values, group) {
  manifest <<- rbind(manifest, data.frame(file, time, date_format, unit, event,
                                          event_values, group))
}
put <- function(d, file, sep = ",") {
  write.table(d, file.path(out, file), sep = sep, row.names = FALSE, quote = FALSE,
              na = "", fileEncoding = "UTF-8")
}
take <- function(d, n = 300) d[sort(sample(nrow(d), min(n, nrow(d)))), ]
mrn <- function(n) sample(100000:999999, n)
dx_dates <- function(n) as.Date("2004-01-01") + sample(0:3650, n, replace = TRUE)
fmt <- function(d, f) format(d, f)

# survival's colon: the death records (etype 2); time in days, status 1 = death.
colon_d <- take(colon[colon$etype == 2, ])
n <- nrow(colon_d)
dx <- dx_dates(n)
dead_alive <- ifelse(colon_d$status == 1, "Dead", "Alive")

put(data.frame(MRN = mrn(n), Age = colon_d$age,
               Sex = ifelse(colon_d$sex == 1, "Male", "Female"),
               Diagnosis_Date = fmt(dx, "%d/%m/%Y"),
               Last_FU_Date = fmt(dx + colon_d$time, "%d/%m/%Y"),
               Status = dead_alive, Treatment = colon_d$rx, Nodes = colon_d$nodes),
    "colon_hospital.csv")
note("colon_hospital.csv", "Diagnosis_Date|Last_FU_Date", "%d/%m/%Y", "months", "Status", "Dead", "Treatment")

put(data.frame(`Patient ID` = seq_len(n) + 5000, age = colon_d$age, rx = colon_d$rx,
               diagnosis_date = fmt(dx, "%m/%d/%Y"),
               last_contact_date = fmt(dx + colon_d$time, "%m/%d/%Y"),
               vital_status = ifelse(colon_d$status == 1, "Deceased", "Living"),
               check.names = FALSE),
    "colon_us.csv")
note("colon_us.csv", "diagnosis_date|last_contact_date", "%m/%d/%Y", "months", "vital_status", "Deceased", "rx")

put(data.frame(id = seq_len(n), age = colon_d$age, rx = colon_d$rx,
               surv_days = colon_d$time, death = colon_d$status, nodes = colon_d$nodes),
    "colon_days.csv")
note("colon_days.csv", "surv_days", "", "days", "death", "1", "rx")

put(data.frame(record_id = mrn(n), age = colon_d$age, arm = colon_d$rx,
               fu_years = round(colon_d$time / 365.25, 2),
               dead = ifelse(colon_d$status == 1, "TRUE", "FALSE")),
    "colon_years.csv")
note("colon_years.csv", "fu_years", "", "years", "dead", "TRUE", "arm")

put(data.frame(Fallnummer = mrn(n), Alter = colon_d$age,
               Diagnosedatum = fmt(dx, "%d.%m.%Y"),
               Letzter_Kontakt = fmt(dx + colon_d$time, "%d.%m.%Y"),
               Status = ifelse(colon_d$status == 1, "verstorben", "lebend"),
               Therapie = colon_d$rx),
    "colon_de.csv", sep = ";")
note("colon_de.csv", "Diagnosedatum|Letzter_Kontakt", "%d.%m.%Y", "months", "Status", "verstorben", "Therapie")

# The workbook: dates as Excel date cells (the reader gives ISO dates).
wb <- createWorkbook()
addWorksheet(wb, "patients")
xl <- data.frame(MRN = mrn(120), Age = colon_d$age[1:120], Diagnosis_Date = dx[1:120],
                 Last_FU_Date = dx[1:120] + colon_d$time[1:120], Status = dead_alive[1:120],
                 Treatment = colon_d$rx[1:120])
writeData(wb, "patients", xl)
addStyle(wb, "patients", createStyle(numFmt = "yyyy-mm-dd"), rows = 2:121, cols = 3:4,
         gridExpand = TRUE)
saveWorkbook(wb, file.path(out, "colon_hospital.xlsx"), overwrite = TRUE)
note("colon_hospital.xlsx", "Diagnosis_Date|Last_FU_Date", "%Y-%m-%d", "months", "Status", "Dead", "Treatment")

# survival's lung: time in days, status 1 = censored, 2 = dead; no treatment.
lung_d <- take(lung)
n <- nrow(lung_d)
put(lung_d, "lung_raw.csv")
note("lung_raw.csv", "time", "", "days", "status", "2", "")

put(data.frame(住院号 = paste0("ZY", mrn(n)), 年龄 = lung_d$age,
               性别 = ifelse(lung_d$sex == 1, "男", "女"),
               生存时间_天 = lung_d$time,
               结局 = ifelse(lung_d$status == 2, "死亡", "存活"),
               ECOG评分 = lung_d$ph.ecog, check.names = FALSE),
    "lung_zh.csv")
note("lung_zh.csv", "生存时间_天", "", "days", "结局", "死亡", "")

put(data.frame(Patienten_ID = mrn(n), Alter = lung_d$age,
               Geschlecht = ifelse(lung_d$sex == 1, "m", "w"),
               Überlebenszeit_Tage = lung_d$time,
               Status = ifelse(lung_d$status == 2, "verstorben", "lebend"),
               check.names = FALSE),
    "lung_de.csv", sep = ";")
note("lung_de.csv", "Überlebenszeit_Tage", "", "days", "Status", "verstorben", "")

put(data.frame(MRN = mrn(n), age = lung_d$age, os_months = round(lung_d$time / 30.4375, 1),
               died = ifelse(lung_d$status == 2, "yes", "no"), ecog = lung_d$ph.ecog),
    "lung_months.csv")
note("lung_months.csv", "os_months", "", "months", "died", "yes", "")

# survival's pbc: status 0 censored, 1 transplant, 2 dead — the user must choose.
pbc_d <- take(pbc)
n <- nrow(pbc_d)
put(pbc_d[, c("id", "time", "status", "trt", "age", "sex", "bili", "albumin", "stage")],
    "pbc_raw.csv")
note("pbc_raw.csv", "time", "", "days", "status", "", "trt")

entry <- dx_dates(n)
put(data.frame(MRN = mrn(n), Age = round(pbc_d$age), Entry_Date = fmt(entry, "%Y-%m-%d"),
               Last_Contact = fmt(entry + pbc_d$time, "%Y-%m-%d"), Status = pbc_d$status,
               Treatment = c("D-penicillamine", "Placebo")[pbc_d$trt], Bilirubin = pbc_d$bili),
    "pbc_hospital.csv")
note("pbc_hospital.csv", "Entry_Date|Last_Contact", "%Y-%m-%d", "months", "Status", "", "Treatment")

put(data.frame(病案号 = mrn(n), 年龄 = round(pbc_d$age),
               `随访时间（天）` = pbc_d$time,
               结局 = c("删失", "移植", "死亡")[pbc_d$status + 1],
               治疗 = c("青霉胺", "安慰剂")[pbc_d$trt], check.names = FALSE),
    "pbc_zh.csv")
note("pbc_zh.csv", "随访时间（天）", "", "days", "结局", "", "治疗")

# survival's veteran: time in days, status 1 = dead, trt 1 standard / 2 test.
vet <- veteran
n <- nrow(vet)
put(vet, "veteran_raw.csv")
note("veteran_raw.csv", "time", "", "days", "status", "1", "trt")

put(data.frame(ID = seq_len(n), Age = vet$age, Treatment = c("Standard", "Test")[vet$trt],
               Cell_Type = vet$celltype, OS_months = round(vet$time / 30.4375, 1),
               Death = ifelse(vet$status == 1, "Yes", "No"), Karnofsky = vet$karno),
    "veteran_months.csv")
note("veteran_months.csv", "OS_months", "", "months", "Death", "Yes", "Treatment")

put(data.frame(patient = mrn(n), age = vet$age, arm = vet$trt,
               time_weeks = round(vet$time / 7, 1), event = vet$status),
    "veteran_weeks.csv")
note("veteran_weeks.csv", "time_weeks", "", "weeks", "event", "1", "arm")

vdx <- dx_dates(n)
put(data.frame(住院号 = mrn(n), 年龄 = vet$age, 确诊日期 = fmt(vdx, "%Y-%m-%d"),
               末次随访日期 = fmt(vdx + vet$time, "%Y-%m-%d"),
               生存状态 = ifelse(vet$status == 1, "死亡", "存活"),
               治疗方案 = c("标准化疗", "试验化疗")[vet$trt], check.names = FALSE),
    "veteran_zh_dates.csv")
note("veteran_zh_dates.csv", "确诊日期|末次随访日期", "%Y-%m-%d", "months", "生存状态", "死亡", "治疗方案")

# Made-up cohorts.
made_up <- function(n) {
  arm <- sample(c("A", "B"), n, replace = TRUE)
  t <- round(rexp(n, ifelse(arm == "A", 1 / 900, 1 / 1300)))
  c_ <- round(runif(n, 200, 2400))
  list(arm = arm, time = pmin(t, c_) + 1, event = as.integer(t <= c_), age = sample(25:90, n, TRUE))
}
m <- made_up(200)
# Every day and month at most 12: 03/04 could be either order (written day first).
d0 <- as.Date(sprintf("20%02d-%02d-%02d", sample(10:15, 200, TRUE), sample(1:12, 200, TRUE),
                      sample(1:12, 200, TRUE)))
d1 <- as.Date(sprintf("20%02d-%02d-%02d", sample(17:21, 200, TRUE), sample(1:12, 200, TRUE),
                      sample(1:12, 200, TRUE)))
put(data.frame(ID = mrn(200), Age = m$age, Date_of_Diagnosis = fmt(d0, "%d/%m/%Y"),
               Date_of_Last_Follow_up = fmt(d1, "%d/%m/%Y"),
               Status = ifelse(m$event == 1, "Dead", "Alive"), Arm = m$arm),
    "ambiguous_dates.csv")
note("ambiguous_dates.csv", "Date_of_Diagnosis|Date_of_Last_Follow_up", "%d/%m/%Y", "months", "Status", "Dead", "Arm")

m <- made_up(250)
put(data.frame(Patient = seq_len(250), Age = m$age, Group = m$arm,
               time_to_event_months = round(m$time / 30.4375, 2), Status = m$event + 1),
    "made_up_status_1_2.csv")
note("made_up_status_1_2.csv", "time_to_event_months", "", "months", "Status", "2", "Group")

m <- made_up(180)
put(data.frame(Patient_No = sample(1:180), Age = m$age,
               Sex = sample(c("F", "M"), 180, TRUE), FU_m = round(m$time / 30.4375, 1),
               Deceased = m$event, Treatment = ifelse(m$arm == "A", "Control", "Drug X")),
    "made_up_fu_m.csv", sep = "\t")
note("made_up_fu_m.csv", "FU_m", "", "months", "Deceased", "1", "Treatment")

m <- made_up(220)
dd <- dx_dates(220)
put(data.frame(MRN = mrn(220), DOB = fmt(dd - m$age * 365, "%m/%d/%Y"), Age = m$age,
               Surgery_Date = fmt(dd, "%m/%d/%Y"), Death_or_Last_Contact = fmt(dd + m$time, "%m/%d/%Y"),
               Expired = ifelse(m$event == 1, "Y", "N"), Procedure = ifelse(m$arm == "A", "open", "laparoscopic")),
    "made_up_surgery.csv")
note("made_up_surgery.csv", "Surgery_Date|Death_or_Last_Contact", "%m/%d/%Y", "months", "Expired", "Y", "")

m <- made_up(160)
put(data.frame(编号 = seq_len(160), 年龄 = m$age, 分组 = ifelse(m$arm == "A", "对照组", "治疗组"),
               随访月数 = round(m$time / 30.4375, 1), 是否死亡 = ifelse(m$event == 1, "是", "否"),
               check.names = FALSE),
    "made_up_zh_months.csv")
note("made_up_zh_months.csv", "随访月数", "", "months", "是否死亡", "是", "分组")

write.table(manifest, file.path(out, "manifest.tsv"), sep = "\t", row.names = FALSE,
            quote = FALSE, fileEncoding = "UTF-8")
