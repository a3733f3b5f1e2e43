//! The task's countdown (SPEC K3): time on task runs from Start to the time limit in server
//! time; the panel shows what is left, from the server's `elapsed_s` plus the time since that
//! answer arrived, so a reload or a slow answer does not restart it.

/// Whole seconds left of `limit_s`, `elapsed_s` into the attempt as the server answered,
/// `since_ms` after that answer arrived. Rounded up, so it shows 0 only once time is up.
pub fn remaining_s(limit_s: u32, elapsed_s: f64, since_ms: f64) -> u32 {
    let left = f64::from(limit_s) - elapsed_s - since_ms.max(0.0) / 1000.0;
    if left <= 0.0 {
        0
    } else {
        left.ceil() as u32
    }
}

/// "4:59", "0:05", "1:00:00": minutes and seconds, hours only when there are some.
pub fn clock(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The same in words, for screen readers: "4 minutes 59 seconds", "1 minute", "0 seconds".
pub fn spoken(seconds: u32) -> String {
    let unit = |n: u32, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let (m, s) = (seconds / 60, seconds % 60);
    match (m, s) {
        (0, s) => unit(s, "second"),
        (m, 0) => unit(m, "minute"),
        (m, s) => format!("{} {}", unit(m, "minute"), unit(s, "second")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_countdown_starts_at_the_limit_and_counts_time_since_the_answer() {
        assert_eq!(remaining_s(300, 0.0, 0.0), 300);
        assert_eq!(remaining_s(300, 0.0, 1.0), 300);
        assert_eq!(remaining_s(300, 0.0, 1000.0), 299);
        assert_eq!(remaining_s(300, 12.5, 500.0), 287);
    }

    #[test]
    fn the_countdown_stops_at_zero_once_time_is_up() {
        assert_eq!(remaining_s(300, 299.5, 499.0), 1);
        assert_eq!(remaining_s(300, 299.5, 500.0), 0);
        assert_eq!(remaining_s(300, 400.0, 0.0), 0);
    }

    #[test]
    fn a_clock_shows_minutes_and_two_digit_seconds() {
        assert_eq!(clock(300), "5:00");
        assert_eq!(clock(299), "4:59");
        assert_eq!(clock(5), "0:05");
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(3600), "1:00:00");
        assert_eq!(clock(3725), "1:02:05");
    }

    #[test]
    fn the_time_left_is_said_in_words() {
        assert_eq!(spoken(299), "4 minutes 59 seconds");
        assert_eq!(spoken(60), "1 minute");
        assert_eq!(spoken(61), "1 minute 1 second");
        assert_eq!(spoken(1), "1 second");
        assert_eq!(spoken(0), "0 seconds");
    }
}
