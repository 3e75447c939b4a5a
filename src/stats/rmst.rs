//! TEMPORARY interface stub on main; the km branch replaces this file.
#![allow(missing_docs, unused_variables)]
use super::km::KmCurve;
pub struct RestrictedMean { pub tau: f64, pub estimate: f64, pub se: f64 }
pub fn restricted_mean(curve: &KmCurve, tau: f64) -> RestrictedMean { todo!() }
