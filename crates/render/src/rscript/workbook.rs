//! Data from an Excel workbook: base R has no `.xlsx` reader (readxl and openxlsx are
//! extra packages), so the script reads a CSV saved from the sheet SurvLens read. Its
//! header says exactly how to save it (which sheet, which file name, UTF-8, comma, date
//! cells as yyyy-mm-dd as SurvLens reads them), the script reads that name by default,
//! and it stops with the same instructions when given the `.xlsx` itself or when the
//! CSV is not there.

use super::{lit, RScriptOptions};
use survlens_contract::mapping::TimeMap;
use survlens_contract::Spec;

/// The workbook and the CSV the script reads instead.
pub struct Workbook {
    /// The workbook's file name, when known.
    file: Option<String>,
    /// The sheet SurvLens read, when known.
    sheet: Option<String>,
    /// The CSV file name the script reads.
    csv: String,
}

fn strip_xlsx(name: &str) -> Option<&str> {
    let n = name.len();
    (n > 5 && name.is_char_boundary(n - 5) && name[n - 5..].eq_ignore_ascii_case(".xlsx"))
        .then(|| &name[..n - 5])
}

impl Workbook {
    /// The workbook of `opts` (a `.xlsx` data name, or `workbook` set), if any.
    pub fn of(spec: &Spec, opts: &RScriptOptions) -> Option<Workbook> {
        let stem = strip_xlsx(&opts.data_name);
        if stem.is_none() && !opts.workbook {
            return None;
        }
        let csv = match stem {
            Some(s) if !s.is_empty() => format!("{s}.csv"),
            Some(_) => "data.csv".to_string(),
            None if opts.data_name.is_empty() => "data.csv".to_string(),
            None => opts.data_name.clone(),
        };
        Some(Workbook {
            file: stem.map(|_| opts.data_name.clone()),
            sheet: spec.sheet.clone().or_else(|| opts.sheet.clone()),
            csv,
        })
    }

    /// The options the rest of the script is written with: the CSV's name, commas.
    pub fn csv_options(&self, opts: &RScriptOptions) -> RScriptOptions {
        RScriptOptions {
            data_name: self.csv.clone(),
            delimiter: Some(','),
            ..opts.clone()
        }
    }

    fn sheet_words(&self) -> String {
        self.sheet.as_deref().map_or_else(
            || "its first sheet".to_string(),
            |s| format!("the sheet \"{s}\""),
        )
    }

    /// The header lines: how to save the sheet as the CSV this script reads.
    pub fn instructions(&self, spec: &Spec) -> String {
        let book = self.file.as_deref().map_or_else(
            || "an Excel workbook".to_string(),
            |f| format!("the Excel workbook \"{f}\""),
        );
        let sheet = self.sheet_words();
        let csv = &self.csv;
        let mut h = format!(
            "#\n\
             # THE DATA IS {book}, and base R cannot read .xlsx files (that needs an extra\n\
             # package). Before running this script, save {sheet} as CSV:\n\
             #   Excel:       open the workbook, select {sheet}, File > Save As >\n\
             #                \"CSV UTF-8 (Comma delimited) (*.csv)\", file name \"{csv}\";\n\
             #   LibreOffice: File > Save As > \"Text CSV (.csv)\", file name \"{csv}\",\n\
             #                character set \"Unicode (UTF-8)\", field delimiter \",\".\n\
             # Save it in the folder you run Rscript from (or give its path as the first\n\
             # argument). Only that sheet is saved; the other sheets are not needed.\n"
        );
        let dates = matches!(spec.time_map(), Ok(TimeMap::Dates { .. }))
            || spec
                .treatment_time
                .as_ref()
                .is_some_and(|t| t.date.is_some());
        if dates {
            h.push_str(
                "# Date cells: SurvLens reads them as yyyy-mm-dd; Excel writes them in your\n\
                 # computer's date format, so first give the date columns the format\n\
                 # yyyy-mm-dd (Format Cells > Custom > yyyy-mm-dd), then save.\n",
            );
        }
        h
    }

    /// Script lines that stop, with the instructions, when given the workbook itself or
    /// when the CSV is missing.
    pub fn guard(&self) -> String {
        let how = format!(
            "save {} of the workbook as CSV UTF-8 named {} (see the top of this script)",
            self.sheet_words(),
            self.csv
        );
        format!(
            "if (grepl(\"\\\\.xlsx$\", data_file, ignore.case = TRUE)) stop(\"R reads the data as CSV: \", {how})\n\
             if (!file.exists(data_file)) stop(\"cannot find \", data_file, \": \", {how})\n",
            how = lit(&how),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::{r_script, RScriptOptions};
    use survlens_contract::Spec;

    fn spec(extra: &str) -> Spec {
        Spec::from_json(&format!(
            r#"{{"time": {{"start": "dx", "end": "last", "unit": "months"}}, "event": {{"column": "status"}},
                "group": {{"column": "arm"}}, "km": {{}}{extra}}}"#
        ))
        .expect("spec")
    }

    #[test]
    fn an_xlsx_name_gives_save_as_csv_instructions_and_that_csv_name() {
        let opts = RScriptOptions {
            data_name: "cohort 2024.xlsx".into(),
            ..Default::default()
        };
        let s = r_script(&spec(r#", "sheet": "Patients""#), &opts);
        assert!(
            s.contains("THE DATA IS the Excel workbook \"cohort 2024.xlsx\""),
            "{s}"
        );
        assert!(s.contains("select the sheet \"Patients\""));
        assert!(s.contains("file name \"cohort 2024.csv\""));
        assert!(s.contains("data_file <- if (length(args) >= 1) args[1] else \"cohort 2024.csv\""));
        assert!(s.contains("yyyy-mm-dd (Format Cells > Custom > yyyy-mm-dd)"));
        assert!(s.contains("sep <- \",\""), "comma, as the instructions say");
        assert!(s.contains("if (grepl(\"\\\\.xlsx$\", data_file, ignore.case = TRUE)) stop("));
        assert!(!s.contains("DATA defaults to \"cohort 2024.xlsx\""));
    }

    #[test]
    fn a_workbook_under_a_csv_name_keeps_that_name() {
        let opts = RScriptOptions {
            data_name: "cohort.csv".into(),
            workbook: true,
            sheet: Some("Sheet1".into()),
            ..Default::default()
        };
        let s = r_script(&spec(""), &opts);
        assert!(s.contains("THE DATA IS an Excel workbook"));
        assert!(s.contains("select the sheet \"Sheet1\""));
        assert!(s.contains("else \"cohort.csv\""));
    }

    #[test]
    fn a_csv_gets_no_workbook_lines() {
        let opts = RScriptOptions {
            data_name: "cohort.csv".into(),
            ..Default::default()
        };
        let s = r_script(&spec(""), &opts);
        assert!(!s.contains("THE DATA IS"));
        assert!(!s.contains("base R cannot read .xlsx"));
    }
}
