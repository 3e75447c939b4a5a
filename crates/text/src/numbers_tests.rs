//! Every rule of the number formatter and its edges (the expected strings are the rule
//! worked by hand: significant digits counted from the first non-zero digit).

use super::*;

#[test]
fn p_below_one_thousandth_and_above_point_99() {
    assert_eq!(p_value(0.0), Some("< 0.001".into()));
    assert_eq!(p_value(0.0004), Some("< 0.001".into()));
    assert_eq!(p_value(0.000_999_9), Some("< 0.001".into()));
    assert_eq!(p_value(0.995), Some("> 0.99".into()));
    assert_eq!(p_value(1.0), Some("> 0.99".into()));
    assert_eq!(
        p_value(1.000_000_1),
        Some("> 0.99".into()),
        "rounding above 1"
    );
    assert_eq!(p_value(0.99), Some("0.99".into()), "0.99 itself is printed");
}

#[test]
fn p_two_significant_digits_at_least_two_decimals() {
    assert_eq!(
        p_value(0.001),
        Some("0.0010".into()),
        "0.001 exactly is not < 0.001"
    );
    assert_eq!(p_value(0.00371), Some("0.0037".into()));
    assert_eq!(p_value(0.0123), Some("0.012".into()));
    assert_eq!(p_value(0.4321), Some("0.43".into()));
    assert_eq!(p_value(0.1), Some("0.10".into()));
    assert_eq!(p_value(0.5), Some("0.50".into()));
    assert_eq!(p_value(0.987), Some("0.99".into()));
}

#[test]
fn p_rounding_into_the_next_decade_keeps_two_digits() {
    assert_eq!(p_value(0.0999), Some("0.10".into()), "not 0.100");
    assert_eq!(p_value(0.00999), Some("0.010".into()), "not 0.0100");
}

#[test]
fn p_never_rounds_across_point_05() {
    assert_eq!(
        p_value(0.0496),
        Some("0.0496".into()),
        "0.050 would read as not significant"
    );
    assert_eq!(
        p_value(0.04996),
        Some("0.04996".into()),
        "three digits still cross"
    );
    assert_eq!(
        p_value(0.0504),
        Some("0.050".into()),
        "above 0.05 either way"
    );
    assert_eq!(p_value(0.05), Some("0.050".into()));
    assert_eq!(p_value(0.0449), Some("0.045".into()));
}

#[test]
fn p_that_is_not_a_probability_is_missing() {
    for p in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.01] {
        assert_eq!(p_value(p), None, "{p}");
        assert_eq!(p_cell(Some(p)), "—");
        assert_eq!(p_sentence(Some(p)), "p = NA");
    }
    assert_eq!(p_cell(None), "—");
    assert_eq!(p_sentence(None), "p = NA");
}

#[test]
fn p_in_a_sentence_has_its_relation() {
    assert_eq!(p_sentence(Some(0.0004)), "p < 0.001");
    assert_eq!(p_sentence(Some(0.023)), "p = 0.023");
    assert_eq!(p_sentence(Some(0.999)), "p > 0.99");
    assert_eq!(p_cell(Some(0.0004)), "< 0.001");
    assert_eq!(p_cell(Some(0.0234)), "0.023");
}

#[test]
fn ratios_by_size() {
    assert_eq!(ratio(Some(0.3149)), "0.31");
    assert_eq!(ratio(Some(9.994)), "9.99");
    assert_eq!(ratio(Some(12.44)), "12.4");
    assert_eq!(ratio(Some(99.94)), "99.9");
    assert_eq!(ratio(Some(154.4)), "154");
    assert_eq!(ratio(Some(1.0)), "1.00", "exactly 1");
    assert_eq!(ratio(Some(0.0)), "0.00");
}

#[test]
fn ratios_near_one_show_their_side() {
    assert_eq!(ratio(Some(0.998)), "0.998");
    assert_eq!(ratio(Some(1.0032)), "1.003");
    assert_eq!(ratio(Some(1.00004)), "1.0000", "four decimals at most");
    assert_eq!(ratio(Some(0.9951)), "0.995");
}

#[test]
fn ratios_not_finite_are_missing() {
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(ratio(Some(x)), "—");
        assert_eq!(ratio_value(x), None);
    }
    assert_eq!(ratio(None), "—");
}

#[test]
fn intervals_use_the_languages_word() {
    assert_eq!(ratio_ci(Some(0.18), Some(0.534), Lang::En), "0.18 to 0.53");
    assert_eq!(ratio_ci(Some(0.18), Some(12.44), Lang::Zh), "0.18 至 12.4");
    assert_eq!(fixed_ci(Some(-1.26), Some(3.0), 1, Lang::En), "-1.3 to 3.0");
    assert_eq!(ratio_ci(None, Some(2.0), Lang::En), "— to 2.00");
}

#[test]
fn fixed_decimals_never_negative_zero() {
    assert_eq!(fixed(Some(-0.001), 2), "0.00");
    assert_eq!(fixed(Some(-0.0), 1), "0.0");
    assert_eq!(fixed(Some(-0.5), 2), "-0.50");
    assert_eq!(fixed(Some(1234.5678), 1), "1234.6");
    assert_eq!(fixed(None, 2), "—");
    assert_eq!(fixed(Some(f64::NAN), 2), "—");
    assert_eq!(fixed(Some(f64::INFINITY), 2), "—");
}

#[test]
fn percents_times_and_counts() {
    assert_eq!(percent(Some(0.7346)), "73.5");
    assert_eq!(percent(Some(0.0)), "0.0");
    assert_eq!(percent(Some(1.0)), "100.0");
    assert_eq!(percent(None), "—");
    assert_eq!(time(Some(12.46)), "12.5");
    assert_eq!(time(Some(f64::NAN)), "—");
    assert_eq!(count(12.0), "12");
    assert_eq!(count(0.0), "0");
    assert_eq!(count(41.73), "41.7");
    assert_eq!(count(f64::NAN), "—");
}

#[test]
fn label_values_read_back_as_written() {
    assert_eq!(label_value(60.0), "60");
    assert_eq!(label_value(62.5), "62.5");
    assert_eq!(label_value(0.1), "0.1");
    assert_eq!(label_value(-0.0), "0");
    assert_eq!(label_value(-1.25), "-1.25");
    assert_eq!(label_value(f64::NAN), "—");
}

#[test]
fn written_values_read_back_and_stay_short() {
    for (x, want) in [
        (1e127, "1e127"),
        (8.888_888_888_888_889e19, "8.888888888888889e19"),
        (-0.5, "-0.5"),
        (-0.0, "0"),
        (61.0, "61"),
        (8.9e-7, "8.9e-7"),
        (123_456.25, "123456.25"),
    ] {
        assert_eq!(written_value(x), want);
        assert_eq!(written_value(x).parse::<f64>().unwrap(), x);
    }
    assert_eq!(written_value(f64::INFINITY), "inf");
}
