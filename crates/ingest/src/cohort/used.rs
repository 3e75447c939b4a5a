//! The cells of the used rows, column by column, streamed to the readers of
//! [`super::read_used`] (no vector of cells per column).

use crate::text::trim;
use crate::RawTable;

/// The cells of the used rows, column by column.
#[derive(Clone, Copy)]
pub(super) struct UsedCells<'t> {
    table: &'t RawTable,
    rows: &'t [usize],
}

impl<'t> UsedCells<'t> {
    pub(super) fn new(table: &'t RawTable, rows: &'t [usize]) -> Self {
        UsedCells { table, rows }
    }

    /// The cells of column `col` (trimmed), one per used row, in row order.
    pub(super) fn of(&self, col: usize) -> UsedColumn<'t> {
        if self.rows.len() == self.table.n_rows() {
            // Every row is used: the column in one sequential pass.
            UsedColumn::Every(self.table.column_cells(col))
        } else {
            UsedColumn::Some {
                table: self.table,
                col,
                rows: self.rows.iter(),
            }
        }
    }
}

/// The iterator of [`UsedCells::of`].
#[derive(Clone)]
pub(super) enum UsedColumn<'t> {
    /// Every row of the table is used.
    Every(crate::arena::Cells<'t>),
    /// These rows.
    Some {
        table: &'t RawTable,
        col: usize,
        rows: std::slice::Iter<'t, usize>,
    },
}

impl<'t> Iterator for UsedColumn<'t> {
    type Item = &'t str;

    #[inline]
    fn next(&mut self) -> Option<&'t str> {
        match self {
            UsedColumn::Every(cells) => cells.next().map(trim),
            UsedColumn::Some { table, col, rows } => {
                rows.next().map(|&r| trim(table.cell(*col, r)))
            }
        }
    }
}
