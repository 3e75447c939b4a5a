//! Cloning and artificial censoring: each patient gives one clone per strategy.
//!
//! With follow-up (t, d), treatment time u (`None`: never treated locally) and grace G:
//! * `treat` ("local treatment at u ≤ G"): treated with u ≤ G → (t, d); otherwise, if
//!   t > G, artificially censored at G (still untreated when the grace period ends);
//!   if t ≤ G, (t, d) (a death at or before G while still untreated counts as a death:
//!   the deviation would happen after it).
//! * `control` ("no local treatment within G"): treated with u ≤ G → artificially
//!   censored at u (u = 0: at 0, the clone has no time at risk); otherwise (t, d).

/// The strategy of a clone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Treat,
    Control,
}

impl Strategy {
    pub const BOTH: [Strategy; 2] = [Strategy::Treat, Strategy::Control];
}

/// One arm's clones, one per patient in patient order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArmClones {
    /// End of the clone's follow-up (death, censoring or artificial censoring).
    pub time: Vec<f64>,
    /// Death at `time`.
    pub event: Vec<bool>,
    /// Artificially censored at `time` (deviation from the strategy).
    pub censored: Vec<bool>,
}

/// The clones of `strategy` of the patients (`time`, `event`, `treatment`).
pub fn clone_arm(
    time: &[f64],
    event: &[bool],
    treatment: &[Option<f64>],
    grace: f64,
    strategy: Strategy,
) -> ArmClones {
    let n = time.len();
    let mut out = ArmClones {
        time: Vec::with_capacity(n),
        event: Vec::with_capacity(n),
        censored: Vec::with_capacity(n),
    };
    for i in 0..n {
        let (t, d) = (time[i], event[i]);
        let within = treatment[i].filter(|&u| u <= grace);
        let (tc, dc, ac) = match (strategy, within) {
            (Strategy::Treat, Some(_)) => (t, d, false),
            (Strategy::Treat, None) if t > grace => (grace, false, true),
            (Strategy::Treat, None) => (t, d, false),
            (Strategy::Control, Some(u)) => (u, false, true),
            (Strategy::Control, None) => (t, d, false),
        };
        out.time.push(tc);
        out.event.push(dc);
        out.censored.push(ac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule() {
        // (t, d, u): untreated dies before G; untreated dies at G; untreated alive past G;
        // treated at 0; treated within G; treated after G.
        let time = [2.0, 6.0, 10.0, 8.0, 9.0, 12.0];
        let event = [true, true, true, false, true, true];
        let u = [None, None, None, Some(0.0), Some(6.0), Some(7.0)];
        let t = clone_arm(&time, &event, &u, 6.0, Strategy::Treat);
        assert_eq!(t.time, vec![2.0, 6.0, 6.0, 8.0, 9.0, 6.0]);
        assert_eq!(t.event, vec![true, true, false, false, true, false]);
        assert_eq!(t.censored, vec![false, false, true, false, false, true]);
        let c = clone_arm(&time, &event, &u, 6.0, Strategy::Control);
        assert_eq!(c.time, vec![2.0, 6.0, 10.0, 0.0, 6.0, 12.0]);
        assert_eq!(c.event, vec![true, true, true, false, false, true]);
        assert_eq!(c.censored, vec![false, false, false, true, true, false]);
    }
}
