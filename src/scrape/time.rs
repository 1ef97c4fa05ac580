//! The deadline (RFC 3339 with an offset, read by hand: a date crate would be a dependency for two functions) and
//! timestamps written in `source.json` and `scrape-report.json`.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// The moment after which nothing a group commits counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// Seconds since the Unix epoch; handed to git as `--before=@<secs>` so no time zone is ever guessed.
    pub unix: i64,
    /// The offset it was given in, in minutes east of UTC, to print it back as the user wrote it.
    pub offset_minutes: i32,
}

/// A deadline that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}; write the deadline as RFC 3339 with an offset, e.g. 2026-01-23T23:59:59+01:00")]
pub struct DeadlineError(pub String);

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn number(s: &str, what: &str, lo: u32, hi: u32) -> Result<u32, DeadlineError> {
    let n: u32 = s
        .parse()
        .ok()
        .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| DeadlineError(format!("{what} {s:?} is not a number")))?;
    if n < lo || n > hi {
        return Err(DeadlineError(format!("{what} {n} is out of range {lo}..={hi}")));
    }
    Ok(n)
}

impl FromStr for Deadline {
    type Err = DeadlineError;

    /// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; a space may stand for the `T`. An offset is required: a deadline
    /// without one would mean a different moment on every staff laptop.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let s = text.trim();
        let bad = |why: &str| DeadlineError(format!("cannot read deadline {s:?}: {why}"));
        if !s.is_ascii() {
            return Err(bad("unexpected characters"));
        }
        let (date, rest) = s.split_at_checked(10).ok_or_else(|| bad("too short"))?;
        let mut d = date.split('-');
        let (Some(y), Some(mo), Some(da), None) = (d.next(), d.next(), d.next(), d.next()) else {
            return Err(bad("the date must be YYYY-MM-DD"));
        };
        if y.len() != 4 {
            return Err(bad("the year must have four digits"));
        }
        let year = i64::from(number(y, "year", 1000, 9999)?);
        let month = number(mo, "month", 1, 12)?;
        let day = number(da, "day", 1, days_in_month(year, month))?;
        let rest = rest
            .strip_prefix(['T', 't', ' '])
            .ok_or_else(|| bad("no time of day (a date alone is ambiguous: the start or the end of the day?)"))?;
        let (time, offset) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => rest.split_at(i),
            None => return Err(bad("no offset: add Z or +01:00 (Copenhagen in winter)")),
        };
        let time = time.split('.').next().unwrap_or(time);
        let mut t = time.split(':');
        let (Some(h), Some(mi), Some(se), None) = (t.next(), t.next(), t.next(), t.next()) else {
            return Err(bad("the time must be HH:MM:SS"));
        };
        let hour = number(h, "hour", 0, 23)?;
        let minute = number(mi, "minute", 0, 59)?;
        // 60 is a leap second; it is the same moment as the next second as far as git is concerned.
        let second = number(se, "second", 0, 60)?;
        let offset_minutes = if offset.eq_ignore_ascii_case("z") {
            0
        } else {
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let (oh, om) = offset[1..].split_once(':').ok_or_else(|| bad("the offset must be ±HH:MM"))?;
            let minutes = number(oh, "offset hour", 0, 23)? * 60 + number(om, "offset minute", 0, 59)?;
            sign * minutes as i32
        };
        let local = days_from_civil(year, month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second);
        Ok(Deadline { unix: local - i64::from(offset_minutes) * 60, offset_minutes })
    }
}

impl fmt::Display for Deadline {
    /// RFC 3339 in the offset it was given in.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_rfc3339(self.unix, self.offset_minutes))
    }
}

/// RFC 3339 of a Unix time at an offset (`Z` for UTC).
pub fn format_rfc3339(unix: i64, offset_minutes: i32) -> String {
    let local = unix + i64::from(offset_minutes) * 60;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    let zone = if offset_minutes == 0 {
        "Z".to_string()
    } else {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let m = offset_minutes.unsigned_abs();
        format!("{sign}{:02}:{:02}", m / 60, m % 60)
    };
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{zone}", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// The current time in RFC 3339, UTC.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    format_rfc3339(secs, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_deadline_with_its_offset() {
        let d: Deadline = "2026-01-23T23:59:59+01:00".parse().unwrap();
        // 2026-01-23T22:59:59Z, checked with `date -u -d @1769209199`.
        assert_eq!(d.unix, 1_769_209_199);
        assert_eq!(d.to_string(), "2026-01-23T23:59:59+01:00");
        assert_eq!("2026-01-23T22:59:59Z".parse::<Deadline>().unwrap().unix, d.unix);
        assert_eq!("2026-01-23 17:59:59.5-05:00".parse::<Deadline>().unwrap().unix, d.unix);
        assert_eq!("1970-01-01T00:00:00Z".parse::<Deadline>().unwrap().unix, 0);
        assert_eq!("2024-02-29T12:00:00Z".parse::<Deadline>().unwrap().to_string(), "2024-02-29T12:00:00Z");
    }

    #[test]
    fn refuses_ambiguous_or_broken_deadlines() {
        for bad in [
            "2026-01-23",
            "2026-01-23T23:59:59",
            "2026-02-30T00:00:00Z",
            "2026-1-23T23:59:59Z",
            "tomorrow",
            "2026-01-23T25:00:00Z",
            "2026-01-23T23:59Z",
        ] {
            let e = bad.parse::<Deadline>().unwrap_err();
            assert!(e.to_string().contains("RFC 3339"), "{bad}: {e}");
        }
    }

    #[test]
    fn formats_round_trip_through_the_calendar() {
        for unix in [0, 951_782_400, 1_769_209_199, 4_102_444_800] {
            let text = format_rfc3339(unix, 0);
            assert_eq!(text.parse::<Deadline>().unwrap().unix, unix, "{text}");
            let text = format_rfc3339(unix, -150);
            assert_eq!(text.parse::<Deadline>().unwrap().unix, unix, "{text}");
        }
        assert_eq!(format_rfc3339(951_782_400, 0), "2000-02-29T00:00:00Z");
    }
}
