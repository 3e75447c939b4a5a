//! The vocabulary of column names: which words say "follow-up time", "identifier",
//! "age", "status", "treatment", "start date", "end date", in English, Chinese and
//! German, as hospital systems and study databases write them.
//!
//! A name is lower-cased and cut into words at every character that is neither a
//! letter nor a digit and at lower→upper case changes (`LastFU_Date` → `last`, `fu`,
//! `date`). A Latin vocabulary word matches a word of the name that equals it, or,
//! for vocabulary words of four letters or more, a word that starts with it
//! (`survival` matches `surv`, `months` matches `month`): short words such as `os`,
//! `fu` or `id` must stand alone, so `position` is no `os` and `idea` no `id`.
//! Chinese vocabulary matches anywhere in the name (Chinese names have no spaces).

/// A list of words of one meaning: Latin words (matched as above) and Chinese ones
/// (matched as substrings).
pub(crate) struct Vocabulary {
    pub latin: &'static [&'static str],
    pub chinese: &'static [&'static str],
}

/// Follow-up durations: `time`, `os_months`, `futime`, 随访时间, 生存时间_天, Überlebenszeit.
pub(crate) const TIME: Vocabulary = Vocabulary {
    latin: &[
        "time",
        "futime",
        "fu",
        "os",
        "pfs",
        "dfs",
        "efs",
        "rfs",
        "ttp",
        "follow",
        "followup",
        "survival",
        "surv",
        "duration",
        "months",
        "month",
        "mo",
        "days",
        "day",
        "weeks",
        "years",
        "dauer",
        "zeit",
        "überleben",
        "ueberleben",
        "überlebenszeit",
        "monate",
        "tage",
        "jahre",
        "wochen",
        "nachbeobachtung",
    ],
    chinese: &[
        "随访",
        "生存",
        "时间",
        "时长",
        "月数",
        "天数",
        "生存期",
        "存活时间",
    ],
};

/// Identifiers: `id`, `MRN`, `Patient`, 住院号, 病案号, Fallnummer.
pub(crate) const IDENTIFIER: Vocabulary = Vocabulary {
    latin: &[
        "id",
        "mrn",
        "patient",
        "patients",
        "pid",
        "pat",
        "record",
        "case",
        "subject",
        "subj",
        "nr",
        "no",
        "number",
        "code",
        "inst",
        "fallnummer",
        "patientennummer",
        "patienten",
        "kennung",
        "pseudonym",
        "hospital_id",
        "ptid",
        "studyid",
    ],
    chinese: &[
        "住院号",
        "病案号",
        "病历号",
        "门诊号",
        "编号",
        "序号",
        "患者",
        "病人",
    ],
};

/// Ages: `age`, `Age_at_diagnosis`, 年龄, Alter.
pub(crate) const AGE: Vocabulary = Vocabulary {
    latin: &["age", "alter", "agediag", "age_at_diagnosis"],
    chinese: &["年龄", "岁"],
};

/// Event / status columns: `status`, `vital_status`, `fustat`, 结局, 生存状态, Status.
pub(crate) const EVENT: Vocabulary = Vocabulary {
    latin: &[
        "status",
        "event",
        "death",
        "dead",
        "died",
        "vital",
        "censor",
        "censored",
        "cens",
        "fustat",
        "outcome",
        "deceased",
        "expired",
        "ereignis",
        "tod",
        "verstorben",
        "vitalstatus",
    ],
    chinese: &["结局", "状态", "死亡", "转归", "事件", "存活", "生死"],
};

/// Treatment / group columns: `treatment`, `arm`, `rx`, 治疗, 分组, Therapie.
pub(crate) const GROUP: Vocabulary = Vocabulary {
    latin: &[
        "treatment",
        "treat",
        "trt",
        "rx",
        "tx",
        "arm",
        "group",
        "grp",
        "therapy",
        "regimen",
        "cohort",
        "therapie",
        "behandlung",
        "gruppe",
        "intervention",
        "randomisation",
        "randomization",
        "strategy",
        "procedure",
        "modality",
    ],
    chinese: &[
        "治疗",
        "分组",
        "组别",
        "方案",
        "干预",
        "术式",
        "手术方式",
        "组",
    ],
};

/// Start of follow-up among dates: diagnosis, entry, surgery, randomisation.
pub(crate) const START_DATE: Vocabulary = Vocabulary {
    latin: &[
        "diagnosis",
        "diag",
        "dx",
        "start",
        "entry",
        "baseline",
        "rand",
        "randomisation",
        "randomization",
        "surgery",
        "op",
        "operation",
        "enrol",
        "enrollment",
        "enrolment",
        "begin",
        "admission",
        "index",
        "erstdiagnose",
        "diagnose",
        "beginn",
        "aufnahme",
    ],
    chinese: &[
        "诊断", "确诊", "入院", "手术", "入组", "开始", "首诊", "基线",
    ],
};

/// End of follow-up among dates: last contact, death, censoring.
pub(crate) const END_DATE: Vocabulary = Vocabulary {
    latin: &[
        "last",
        "lastfu",
        "fu",
        "follow",
        "followup",
        "contact",
        "death",
        "end",
        "exit",
        "censor",
        "censoring",
        "status",
        "letzte",
        "letzter",
        "tod",
        "ende",
        "nachsorge",
    ],
    chinese: &["随访", "末次", "最后", "死亡", "结束", "截止"],
};

/// Dates that are neither start nor end of follow-up: birth.
pub(crate) const BIRTH_DATE: Vocabulary = Vocabulary {
    latin: &["birth", "dob", "born", "geburt", "geburtsdatum"],
    chinese: &["出生", "生日"],
};

/// Reference groups: control, placebo, observation, standard of care.
pub(crate) const REFERENCE_LEVEL: Vocabulary = Vocabulary {
    latin: &[
        "control",
        "placebo",
        "obs",
        "observation",
        "standard",
        "soc",
        "none",
        "kontrolle",
        "beobachtung",
    ],
    chinese: &["对照", "安慰剂", "观察", "标准", "常规"],
};

/// The words of a name: lower case, cut at non-alphanumerics and case changes.
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            push(&mut out, &mut word);
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            push(&mut out, &mut word);
        }
        prev_lower = c.is_lowercase();
        word.extend(c.to_lowercase());
    }
    push(&mut out, &mut word);
    out
}

fn push(out: &mut Vec<String>, word: &mut String) {
    if !word.is_empty() {
        out.push(std::mem::take(word));
    }
}

impl Vocabulary {
    /// Whether the column name `name` uses a word of this vocabulary.
    pub(crate) fn matches(&self, name: &str) -> bool {
        if self.chinese.iter().any(|w| name.contains(w)) {
            return true;
        }
        words(name).iter().any(|w| {
            self.latin.iter().any(|v| {
                w == v || (v.chars().count() >= 4 && w.starts_with(v)) || digits_after(w, v)
            })
        })
    }
}

/// `os12`, `id2`: a short vocabulary word followed only by digits.
fn digits_after(word: &str, vocab: &str) -> bool {
    word.strip_prefix(vocab)
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_cut_at_separators_and_case_changes() {
        assert_eq!(words("LastFU_Date"), ["last", "fu", "date"]);
        assert_eq!(words("os_months"), ["os", "months"]);
        assert_eq!(words("生存时间_天"), ["生存时间", "天"]);
        assert_eq!(
            words("Überlebenszeit (Monate)"),
            ["überlebenszeit", "monate"]
        );
    }

    #[test]
    fn short_words_stand_alone_long_words_are_prefixes() {
        assert!(TIME.matches("OS"));
        assert!(TIME.matches("os_months"));
        assert!(!TIME.matches("position"));
        assert!(TIME.matches("survival_months"));
        assert!(TIME.matches("Überlebenszeit_Monate"));
        assert!(TIME.matches("随访时间"));
        assert!(IDENTIFIER.matches("Patient_ID"));
        assert!(IDENTIFIER.matches("MRN"));
        assert!(IDENTIFIER.matches("住院号"));
        assert!(!IDENTIFIER.matches("idea"));
        assert!(AGE.matches("Age"));
        assert!(AGE.matches("年龄"));
        assert!(!AGE.matches("stage"));
        assert!(EVENT.matches("vital_status"));
        assert!(EVENT.matches("结局"));
        assert!(GROUP.matches("Treatment"));
        assert!(GROUP.matches("治疗组"));
        assert!(GROUP.matches("手术方式"));
        assert!(GROUP.matches("Treatment_strategy"));
        assert!(START_DATE.matches("Diagnosis_Date"));
        assert!(END_DATE.matches("Last_FU_Date"));
        assert!(BIRTH_DATE.matches("出生日期"));
    }
}
