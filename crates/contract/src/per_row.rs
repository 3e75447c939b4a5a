//! Compact per-patient columns of the `propensity.per_row` results (a million rows
//! must not cost a million small allocations). They serialize exactly as the
//! contract's arrays: `group` as an array of labels, `ps` as an array of arrays.

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::Deserializer;
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The group label of every row, stored as codes into `labels`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupColumn {
    labels: Vec<String>,
    codes: Vec<u32>,
}

impl GroupColumn {
    /// One label per row: `labels[codes[i]]` (codes out of range read as "").
    pub fn new(labels: Vec<String>, codes: Vec<u32>) -> Self {
        GroupColumn { labels, codes }
    }

    /// The label of every row, in row order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.codes
            .iter()
            .map(|&c| self.labels.get(c as usize).map_or("", String::as_str))
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// Schema: an array of group labels, one per row.
impl JsonSchema for GroupColumn {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        <Vec<String>>::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <Vec<String>>::json_schema(generator)
    }
}

impl Serialize for GroupColumn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.codes.len()))?;
        for label in self.iter() {
            seq.serialize_element(label)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for GroupColumn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows = Vec::<String>::deserialize(d)?;
        let mut labels: Vec<String> = Vec::new();
        let codes = rows
            .into_iter()
            .map(|r| match labels.iter().position(|l| *l == r) {
                Some(i) => i as u32,
                None => {
                    labels.push(r);
                    (labels.len() - 1) as u32
                }
            })
            .collect();
        Ok(GroupColumn { labels, codes })
    }
}

/// A row-major n×k matrix of probabilities, iterated row by row as slices.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PsRows {
    k: usize,
    values: Vec<f64>,
}

impl PsRows {
    /// `values` row-major with `k` columns (a trailing partial row is dropped).
    pub fn new(k: usize, mut values: Vec<f64>) -> Self {
        let k = k.max(1);
        values.truncate(values.len() / k * k);
        PsRows { k, values }
    }

    /// Row `i`, if any.
    pub fn get(&self, i: usize) -> Option<&[f64]> {
        self.values.get(i * self.k..(i + 1) * self.k)
    }

    pub fn len(&self) -> usize {
        self.values.len() / self.k.max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl<'a> IntoIterator for &'a PsRows {
    type Item = &'a [f64];
    type IntoIter = std::slice::ChunksExact<'a, f64>;

    fn into_iter(self) -> Self::IntoIter {
        self.values.chunks_exact(self.k.max(1))
    }
}

/// Schema: one array of probabilities per row.
impl JsonSchema for PsRows {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        <Vec<Vec<f64>>>::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <Vec<Vec<f64>>>::json_schema(generator)
    }
}

impl Serialize for PsRows {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for row in self {
            seq.serialize_element(row)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for PsRows {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows = Vec::<Vec<f64>>::deserialize(d)?;
        let k = rows.first().map_or(1, Vec::len);
        if rows.iter().any(|r| r.len() != k) {
            return Err(serde::de::Error::custom("rows of unequal length"));
        }
        Ok(PsRows::new(k, rows.concat()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_the_plain_arrays() {
        let g = GroupColumn::new(vec!["A".into(), "B".into()], vec![1, 0, 1]);
        let ps = PsRows::new(2, vec![0.25, 0.75, 0.5, 0.5, 0.1, 0.9]);
        let gj = serde_json::to_string(&g).unwrap();
        let pj = serde_json::to_string(&ps).unwrap();
        assert_eq!(gj, r#"["B","A","B"]"#);
        assert_eq!(pj, "[[0.25,0.75],[0.5,0.5],[0.1,0.9]]");
        let g2: GroupColumn = serde_json::from_str(&gj).unwrap();
        let p2: PsRows = serde_json::from_str(&pj).unwrap();
        assert_eq!(g2.iter().collect::<Vec<_>>(), ["B", "A", "B"]);
        assert_eq!(p2, ps);
        assert_eq!(p2.get(2), Some(&[0.1, 0.9][..]));
        assert!(serde_json::from_str::<PsRows>("[[1.0],[1.0,2.0]]").is_err());
    }
}
