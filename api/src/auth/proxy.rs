//! The client address of a request, behind reverse proxies.
//!
//! The peer of the TCP connection is the client unless it is one of the
//! configured trusted proxies (`HUB138_TRUSTED_PROXIES`: IPs or CIDR ranges,
//! empty by default). Only then is `X-Forwarded-For` read, from the right:
//! each proxy appends the address it saw, so the right-most entry that is
//! not itself a trusted proxy is the client (anything to its left was sent
//! by the client and proves nothing). When every entry is a trusted proxy
//! the left-most is taken; an entry that is not an address ends the walk
//! at the last trusted hop. The address found feeds the sign-in throttle and
//! the audit trail.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use ipnet::IpNet;

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma-separated list of IPs and CIDR ranges (`10.0.0.0/8, ::1`);
    /// empty trusts no proxy.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<IpNet>()
                    .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                    .map(|n| n.trunc())
                    .map_err(|_| format!("not an IP address or CIDR range: {p:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }
}

/// `::ffff:1.2.3.4` is `1.2.3.4`.
fn canonical(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

/// An `X-Forwarded-For` entry: an address, possibly with a port.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let e = entry.trim();
    e.parse::<IpAddr>()
        .ok()
        .or_else(|| e.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

impl TrustedProxies {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client behind `peer`, given the request's `X-Forwarded-For`
    /// header values in order.
    pub fn client<'a>(&self, peer: IpAddr, forwarded_for: impl Iterator<Item = &'a str>) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let entries: Vec<&str> = forwarded_for.flat_map(|v| v.split(',')).collect();
        let mut client = peer;
        for entry in entries.iter().rev() {
            let Some(ip) = parse_entry(entry) else {
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}
