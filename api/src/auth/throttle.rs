//! Throttling of failed logins, per username and per client address, over a
//! sliding window. Kept in memory: each replica counts its own failures.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Throttle {
    window: Duration,
    per_user: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Throttle(..)")
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(Duration::from_secs(15 * 60), 5, 20)
    }
}

impl Throttle {
    pub fn new(window: Duration, per_user: usize, per_address: usize) -> Self {
        Self {
            window,
            per_user,
            per_address,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(username: &str, address: Option<&str>) -> (String, Option<String>) {
        (format!("u:{username}"), address.map(|a| format!("a:{a}")))
    }

    /// Whether another attempt is allowed now.
    pub fn allowed(&self, username: &str, address: Option<&str>) -> bool {
        let Ok(mut map) = self.failures.lock() else {
            return false;
        };
        let now = Instant::now();
        let (user, addr) = Self::keys(username, address);
        let mut count = |key: &str| {
            map.get_mut(key).map_or(0, |v| {
                v.retain(|t| now.duration_since(*t) < self.window);
                v.len()
            })
        };
        let by_user = count(&user);
        let by_addr = addr.as_deref().map_or(0, &mut count);
        by_user < self.per_user && by_addr < self.per_address
    }

    pub fn failed(&self, username: &str, address: Option<&str>) {
        if let Ok(mut map) = self.failures.lock() {
            let (user, addr) = Self::keys(username, address);
            let now = Instant::now();
            map.entry(user).or_default().push(now);
            if let Some(a) = addr {
                map.entry(a).or_default().push(now);
            }
        }
    }

    pub fn succeeded(&self, username: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&format!("u:{username}"));
        }
    }
}
