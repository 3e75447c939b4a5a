//! Simplified Chinese sentences of [`IngestError`] (the English ones are its
//! `Display`). Built from the typed fields (column, line, value), never from the
//! English text; free-text details in English (a CSV reader's or a workbook
//! library's own message) are left out. The `match` is exhaustive: a new variant
//! does not compile until it has its Chinese sentence.

use super::error::{counts, list, short, Emptiness, IngestError};
use super::event::EventProblem;

/// A date format's description in Chinese: the automatic one's words translated (the
/// others are patterns such as `DD/MM/YYYY (%d/%m/%Y)`).
fn format_zh(format: &str) -> String {
    if format == survlens_contract::mapping::DateFormat::Auto.describe() {
        "YYYY-MM-DD（“auto”只识别 ISO 日期；其他顺序请在 date_format 中指定）".to_string()
    } else {
        format.to_string()
    }
}

impl IngestError {
    /// The error in Simplified Chinese, with the same column, line and value.
    pub fn message_zh(&self) -> String {
        use IngestError::*;
        match self {
            UnsupportedEncoding { encoding } => format!("该文件是 {encoding} 编码的文本，SurvLens 无法读取；请在 Excel 中选择“另存为”→“CSV UTF-8（逗号分隔）”，或用文本编辑器另存为 UTF-8。"),
            NotText { line, .. } => format!("该文件不是文本表格（第 {line} 行）；请将数据导出为 CSV（“另存为”→“CSV UTF-8”）后再选择该文件。"),
            OneColumn { header } => format!("表头（第 1 行）只找到一列（“{}”）；文件至少需要时间列和事件列，以逗号、分号或制表符分隔。", short(header)),
            TooManyColumns { found, limit } => format!("表头（第 1 行）有 {found} 列，SurvLens 最多读取 {limit} 列；请只保留分析所需的列（时间、事件、分组、协变量）后重新导出。"),
            TooManyLevels { column, found, limit, .. } => format!("“{}”列有 {found} 个不同取值，该分析最多允许 {limit} 个；请确认这是所需的列（编号或自由文本不是分类变量），或先合并其取值（重新编码）。", short(column)),
            EmptyFile { what: Emptiness::NoBytes } => "文件为空（0 字节）：请选择导出的数据文件，即 CSV、TSV 或 Excel（.xlsx）文件，首行为表头，其后每名患者一行（导出中途停止或从未保存的文件为 0 字节）。".to_string(),
            EmptyFile { what: Emptiness::BlankLines } => "文件为空：只有空行，既无表头也无数据；请选择导出的数据文件，即 CSV、TSV 或 Excel（.xlsx）文件，首行为表头，其后每名患者一行。".to_string(),
            EmptyFile { what: Emptiness::EmptySheet } => "工作表为空：既无表头行也无数据；请选择包含数据表的工作表，或重新导出（首行为表头，其后每名患者一行）。".to_string(),
            NoDataRows => "文件只有表头行，没有数据行；请同时导出患者数据行。".to_string(),
            EmptyHeader { position } => format!("表头（第 1 行）中第 {position} 列没有列名；请为每一列命名，或删除空列（常由行末多余的分隔符造成）。"),
            DuplicateHeader { column } => format!("表头（第 1 行）中“{}”列出现两次；请将其中一列改名。", short(column)),
            RaggedRow { line, expected, found } => format!("第 {line} 行有 {found} 个单元格，而表头有 {expected} 个；请检查该行是否多了或少了分隔符，或某个值含有分隔符却未加引号。"),
            MalformedCsv { line, .. } => format!("文件在第 {line} 行附近无法按表格读取；请重新导出为 CSV。"),
            TooLarge { column } => format!("“{}”列的文本超过 4 GiB；请拆分文件或删除不用的列。", short(column)),
            Workbook { .. } => "无法读取该 Excel 文件；请重新保存为 .xlsx（不设密码），或将工作表导出为 CSV。".to_string(),
            WorkbookNotSupported => "此版本的 SurvLens 不读取 Excel 工作簿；请在页面中打开该文件（页面会按需加载 Excel 支持），或将工作表另存为 CSV（文件 → 另存为 → CSV UTF-8）后打开该 CSV 文件。".to_string(),
            UnknownSheet { sheet, sheets } => format!("工作簿中没有名为“{}”的工作表；现有工作表：{}。请检查工作表名称。", short(sheet), list(sheets)),
            UnknownColumn { column, available, suggestion } => {
                let hint = suggestion.as_ref().map(|s| format!("（是否应为“{}”？）", short(s))).unwrap_or_default();
                format!("文件中没有“{}”列{hint}；文件中的列为：{}。请检查分析设定中的拼写。", short(column), list(available))
            }
            NotNumeric { column, line, value } => format!("“{column}”列第 {line} 行：“{}”不是数字；请更正该值，如其表示未知，请将其加入分析设定的缺失值标记。", short(value)),
            NumberOverflow { column, line, value } => format!("“{column}”列第 {line} 行：“{}”过大，无法作为数字；请更正该值。", short(value)),
            BadDate { column, line, value, format } => { let format = format_zh(format); format!("“{column}”列第 {line} 行：“{}”不是 {format} 格式的日期；请更正该值，或将分析设定中的日期格式设为文件所用的格式。", short(value)) }
            ImpossibleDate { column, line, value, format } => { let format = format_zh(format); format!("“{column}”列第 {line} 行：“{}”不是真实存在的日期（格式 {format}）；请更正日期，或检查日期格式中日与月的顺序。", short(value)) }
            UnknownEventValue { column, line, value, problem, found } => {
                let value = short(value);
                let what = match problem {
                    EventProblem::NotListed => format!("第 {line} 行的取值“{value}”既不在标为事件的取值中，也不在标为删失的取值中"),
                    EventProblem::ThreeOrMoreValues => format!("有两个以上不同的取值（第三种取值“{value}”首次出现在第 {line} 行），SurvLens 无法自行判断哪些表示事件；第三种取值常表示其他结局，例如移植或其他原因死亡"),
                    EventProblem::NotRecognised => format!("第 {line} 行的取值“{value}”不是 SurvLens 能识别的编码（0/1、1/2、是/否、死亡/存活等）"),
                };
                format!("“{column}”列{what}。各取值及行数：{}。请标出表示死亡（事件）的取值和表示删失的取值后重新分析；在分析设定文件中，请分别列出这两类取值。", counts(found, "行", "行"))
            }
            ConflictingEventValues { column, value, first, second } => {
                let meaning = |list: &str| match list {
                    "values" => "事件",
                    "censored_values" => "删失",
                    _ => "竞争事件",
                };
                format!("“{column}”列：“{}”同时列在“{first}”（{}）和“{second}”（{}）中；请只保留在其中一个列表中。", short(value), meaning(first), meaning(second))
            }
            NegativeWeight { column, line, value } => format!("“{column}”列第 {line} 行：权重 {} 为负数；个案权重必须大于或等于 0。", short(value)),
            UnknownReference { column, value, levels } => format!("“{column}”列：参照组“{}”不在其取值中（{}）；请从中选择一个。", short(value), list(levels)),
            EmptyLevels { column } => format!("“{column}”列：分析设定中的组别列表为空；请列出要比较的组，或删去该列表以使用全部取值。"),
            BadImputedSetNumber { column, line, value } => format!("“{}”列第 {line} 行：“{}”不是插补数据集的编号；该列（由 \"imputation.imputed\" 指定）每一行都须为 0（原始数据）或 1、2、…（插补数据集），与 mice 的 complete(imp, \"long\", include = TRUE) 输出一致。", short(column), short(value)),
            NoImputedSets { column } => format!("“{}”列只有第 0 组（原始数据），文件中没有可合并的插补数据集；请同时导出插补数据集（mice：complete(imp, \"long\", include = TRUE)），或删去 \"imputed\" 由 SurvLens 进行插补。", short(column)),
            ImputedSetsDiffer { column, set, first_set, line } => format!("插补数据集 {set}（“{}”列）与数据集 {first_set} 的患者不一致：从第 {line} 行起，其随访时间、事件、分组、分层、权重、聚类或被排除的行有所不同。每个数据集都须按相同顺序重复相同的行，只有协变量被插补；请从同一次插补重新导出各数据集。", short(column)),
            NoUsableRows { n_rows, missing, other_group, negative_time } => format!("没有可分析的行：全部 {n_rows} 行均被排除（{missing} 行有缺失值，{other_group} 行属于其他组，{negative_time} 行随访时间为负）；请检查缺失值标记、分组取值和时间列。"),
        }
    }
}
