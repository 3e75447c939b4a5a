//! The references the methods paragraph may cite, numbered in order of first use.

/// A work the generated methods text can cite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    KaplanMeier1958,
    Greenwood1926,
    Mantel1966,
    Cox1972,
    Efron1977,
    GrambschTherneau1994,
    RoystonParmar2013,
    LiLi2019,
    Austin2016,
    VanderWeeleDing2017,
    Holm1979,
    BenjaminiHochberg1995,
    AustinStuart2015,
    LiMorganZaslavsky2018,
    Anderson1983,
    SimonMakuch1984,
    AalenJohansen1978,
    Gray1988,
    FineGray1999,
    Prentice1978,
    SchemperSmith1996,
    VanBuurenGroothuisOudshoorn2011,
    WhiteRoyston2009,
    Rubin1987,
    BarnardRubin1999,
    Austin2011,
    HoImaiKingStuart2011,
    HernanRobins2016,
    Maringe2020,
    Target2025,
}

impl Work {
    /// The full reference (Vancouver style; the same in every language).
    pub fn reference(self) -> &'static str {
        match self {
            Work::KaplanMeier1958 => "Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc. 1958;53(282):457–481.",
            Work::Greenwood1926 => "Greenwood M. The natural duration of cancer. Reports on Public Health and Medical Subjects, No. 33. London: His Majesty's Stationery Office; 1926.",
            Work::Mantel1966 => "Mantel N. Evaluation of survival data and two new rank order statistics arising in its consideration. Cancer Chemother Rep. 1966;50(3):163–170.",
            Work::Cox1972 => "Cox DR. Regression models and life-tables. J R Stat Soc Series B. 1972;34(2):187–220.",
            Work::Efron1977 => "Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc. 1977;72(359):557–565.",
            Work::GrambschTherneau1994 => "Grambsch PM, Therneau TM. Proportional hazards tests and diagnostics based on weighted residuals. Biometrika. 1994;81(3):515–526.",
            Work::RoystonParmar2013 => "Royston P, Parmar MKB. Restricted mean survival time: an alternative to the hazard ratio for the design and analysis of randomized trials with a time-to-event outcome. BMC Med Res Methodol. 2013;13:152.",
            Work::LiLi2019 => "Li F, Li F. Propensity score weighting for causal inference with multiple treatments. Ann Appl Stat. 2019;13(4):2389–2415.",
            Work::Austin2016 => "Austin PC. Variance estimation when using inverse probability of treatment weighting (IPTW) with survival analysis. Stat Med. 2016;35(30):5642–5655.",
            Work::VanderWeeleDing2017 => "VanderWeele TJ, Ding P. Sensitivity analysis in observational research: introducing the E-value. Ann Intern Med. 2017;167(4):268–274.",
            Work::Holm1979 => "Holm S. A simple sequentially rejective multiple test procedure. Scand J Stat. 1979;6(2):65–70.",
            Work::AustinStuart2015 => "Austin PC, Stuart EA. Moving towards best practice when using inverse probability of treatment weighting (IPTW) using the propensity score to estimate causal treatment effects in observational studies. Stat Med. 2015;34(28):3661–3679.",
            Work::LiMorganZaslavsky2018 => "Li F, Morgan KL, Zaslavsky AM. Balancing covariates via propensity score weighting. J Am Stat Assoc. 2018;113(521):390–400.",
            Work::Anderson1983 => "Anderson JR, Cain KC, Gelber RD. Analysis of survival by tumor response. J Clin Oncol. 1983;1(11):710–719.",
            Work::SimonMakuch1984 => "Simon R, Makuch RW. A non-parametric graphical representation of the relationship between survival and the occurrence of an event: application to responder versus non-responder bias. Stat Med. 1984;3(1):35–44.",
            Work::AalenJohansen1978 => "Aalen OO, Johansen S. An empirical transition matrix for non-homogeneous Markov chains based on censored observations. Scand J Stat. 1978;5(3):141–150.",
            Work::Gray1988 => "Gray RJ. A class of K-sample tests for comparing the cumulative incidence of a competing risk. Ann Stat. 1988;16(3):1141–1154.",
            Work::FineGray1999 => "Fine JP, Gray RJ. A proportional hazards model for the subdistribution of a competing risk. J Am Stat Assoc. 1999;94(446):496–509.",
            Work::Prentice1978 => "Prentice RL, Kalbfleisch JD, Peterson AV Jr, Flournoy N, Farewell VT, Breslow NE. The analysis of failure times in the presence of competing risks. Biometrics. 1978;34(4):541–554.",
            Work::SchemperSmith1996 => "Schemper M, Smith TL. A note on quantifying follow-up in studies of failure time. Control Clin Trials. 1996;17(4):343–346.",
            Work::VanBuurenGroothuisOudshoorn2011 => "van Buuren S, Groothuis-Oudshoorn K. mice: Multivariate imputation by chained equations in R. J Stat Softw. 2011;45(3):1–67.",
            Work::WhiteRoyston2009 => "White IR, Royston P. Imputing missing covariate values for the Cox model. Stat Med. 2009;28(15):1982–1998.",
            Work::Rubin1987 => "Rubin DB. Multiple Imputation for Nonresponse in Surveys. New York: John Wiley & Sons; 1987.",
            Work::BarnardRubin1999 => "Barnard J, Rubin DB. Small-sample degrees of freedom with multiple imputation. Biometrika. 1999;86(4):948–955.",
            Work::Austin2011 => "Austin PC. Optimal caliper widths for propensity-score matching when estimating differences in means and differences in proportions in observational studies. Pharm Stat. 2011;10(2):150–161.",
            Work::HoImaiKingStuart2011 => "Ho DE, Imai K, King G, Stuart EA. MatchIt: nonparametric preprocessing for parametric causal inference. J Stat Softw. 2011;42(8):1–28.",
            Work::HernanRobins2016 => "Hernán MA, Robins JM. Using big data to emulate a target trial when a randomized trial is not available. Am J Epidemiol. 2016;183(8):758–764.",
            Work::Maringe2020 => "Maringe C, Benitez Majano S, Exarchakou A, Smith M, Rachet B, Belot A, Leyrat C. Reflection on modern methods: trial emulation in the presence of immortal-time bias. Assessing the benefit of major surgery for elderly lung cancer patients using observational data. Int J Epidemiol. 2020;49(5):1719–1729.",
            Work::Target2025 => "Cashin AG, Hansford HJ, Hernán MA, et al. Transparent reporting of observational studies emulating a target trial: the TARGET statement. BMJ. 2025;390:e087179.",
            Work::BenjaminiHochberg1995 => "Benjamini Y, Hochberg Y. Controlling the false discovery rate: a practical and powerful approach to multiple testing. J R Stat Soc Series B. 1995;57(1):289–300.",
        }
    }
}

/// The works cited so far, in order of first citation.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Citations {
    pub works: Vec<Work>,
}

impl Citations {
    /// The marker `[n]` of `w`, numbering it on first use.
    pub fn cite(&mut self, w: Work) -> String {
        let n = match self.works.iter().position(|x| *x == w) {
            Some(i) => i + 1,
            None => {
                self.works.push(w);
                self.works.len()
            }
        };
        format!("[{n}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_by_first_use() {
        let mut c = Citations::default();
        assert_eq!(c.cite(Work::Cox1972), "[1]");
        assert_eq!(c.cite(Work::Mantel1966), "[2]");
        assert_eq!(c.cite(Work::Cox1972), "[1]");
        assert_eq!(c.works, vec![Work::Cox1972, Work::Mantel1966]);
    }
}
