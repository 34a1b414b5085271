//! When to check a feed next: its interval with jitter after a success
//! (never before the server's `max-age` runs out), exponential backoff with
//! jitter after failures (never before `Retry-After`), all capped.

use std::time::Duration;

use rand::Rng;

const MINUTE: Duration = Duration::from_secs(60);
const MAX_BACKOFF: Duration = Duration::from_secs(24 * 60 * 60);
const FIRST_RETRY: Duration = Duration::from_secs(5 * 60);
const DATABASE_RETRY: Duration = Duration::from_secs(60);

/// The interval ±10 %, so feeds added together do not stay in lockstep.
/// A longer `max-age` wins, stretched by up to 10 % but never shortened:
/// what the server called fresh is not fetched again before it goes stale.
pub fn after_success(
    interval_minutes: i32,
    max_age: Option<Duration>,
    rng: &mut impl Rng,
) -> Duration {
    let interval = MINUTE * interval_minutes.max(1) as u32;
    let jittered = interval.mul_f64(rng.random_range(0.9..=1.1));
    match max_age {
        Some(max_age) if max_age > jittered => max_age.mul_f64(rng.random_range(1.0..=1.1)),
        _ => jittered,
    }
}

/// After our database failed during a refresh: soon, spread over half a
/// minute so that feeds caught by one outage do not return all at once.
pub fn after_database_error(rng: &mut impl Rng) -> Duration {
    DATABASE_RETRY.mul_f64(rng.random_range(0.5..=1.0))
}

/// `failures` counts this one: 5 min, 10, 20, … capped at 24 h, with "equal
/// jitter" (a random point in the upper half of the window).
pub fn after_failure(failures: i32, retry_after: Option<Duration>, rng: &mut impl Rng) -> Duration {
    let doublings = failures.saturating_sub(1).clamp(0, 16) as u32;
    let window = FIRST_RETRY.saturating_mul(1 << doublings).min(MAX_BACKOFF);
    let backoff = window.mul_f64(rng.random_range(0.5..=1.0));
    backoff
        .max(retry_after.unwrap_or_default())
        .min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn success_uses_the_interval_with_jitter_and_respects_max_age() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..100 {
            let next = after_success(60, None, &mut rng);
            assert!(next >= MINUTE * 54 && next <= MINUTE * 66, "{next:?}");
        }
        for _ in 0..100 {
            let next = after_success(5, Some(MINUTE * 30), &mut rng);
            assert!(
                next >= MINUTE * 30 && next <= MINUTE * 33,
                "max-age pushes the next check out, never earlier: {next:?}"
            );
        }
    }

    #[test]
    fn a_database_error_means_a_check_within_a_minute() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..100 {
            let next = after_database_error(&mut rng);
            assert!(next >= MINUTE / 2 && next <= MINUTE, "{next:?}");
        }
    }

    #[test]
    fn failures_back_off_exponentially_up_to_a_day() {
        let mut rng = StdRng::seed_from_u64(7);
        let windows = [(1, 5), (2, 10), (3, 20), (4, 40), (10, 1440), (40, 1440)];
        for (failures, minutes) in windows {
            for _ in 0..50 {
                let next = after_failure(failures, None, &mut rng);
                let window = MINUTE * minutes;
                assert!(next >= window / 2 && next <= window, "{failures}: {next:?}");
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_but_capped() {
        let mut rng = StdRng::seed_from_u64(7);
        assert!(after_failure(1, Some(MINUTE * 90), &mut rng) >= MINUTE * 90);
        assert_eq!(
            after_failure(1, Some(MAX_BACKOFF * 3), &mut rng),
            MAX_BACKOFF
        );
    }
}
