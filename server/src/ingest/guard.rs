//! The SSRF guard: feed URLs come from users and from other servers'
//! redirects, so newsdesk only connects to public addresses unless an
//! address is explicitly allowed (`--allow-private-hosts`). The check runs
//! on every resolved address at connect time (so a DNS answer cannot smuggle
//! in 127.0.0.1) and on IP literals in every redirect hop.

use std::{
    fmt,
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    str::FromStr,
    sync::Arc,
};

use ipnet::IpNet;
use newsdesk_app::lang::model::{Stored, StoredText};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Hosts and networks that may be private anyway (tests, an intranet feed).
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    hosts: Vec<String>,
    networks: Vec<IpNet>,
}

impl FromStr for AllowList {
    type Err = String;

    /// Comma-separated host names, IP addresses and CIDR networks.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut list = Self::default();
        for item in text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            if let Ok(network) = item.parse::<IpNet>() {
                list.networks.push(network);
            } else if let Ok(ip) = item.trim_matches(['[', ']']).parse::<IpAddr>() {
                list.networks.push(IpNet::from(canonical(ip)));
            } else if item
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            {
                list.hosts.push(item.to_ascii_lowercase());
            } else {
                return Err(format!(
                    "not a host name, IP address or CIDR network: {item:?}"
                ));
            }
        }
        Ok(list)
    }
}

impl AllowList {
    fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    fn allows_ip(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.networks.iter().any(|network| network.contains(&ip))
    }
}

/// Decides which addresses newsdesk may fetch from.
#[derive(Debug, Clone, Default)]
pub struct AddressPolicy {
    allow: AllowList,
}

/// A refused address, reported to the user as "blocked: address is private".
#[derive(Debug, Clone)]
pub struct Blocked {
    pub host: String,
    pub ip: Option<IpAddr>,
}

impl Blocked {
    /// The refusal as a message: `plain` names the host, `resolved` also
    /// the private address a name led to.
    pub fn stored(&self, plain: StoredText, resolved: StoredText) -> Stored {
        match self.ip {
            Some(ip) if ip.to_string() != self.host => {
                Stored::new(resolved, &[("host", &self.host), ("ip", &ip.to_string())])
            }
            _ => Stored::new(plain, &[("host", &self.host)]),
        }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.stored(StoredText::FetchBlocked, StoredText::FetchBlockedResolved)
            .fmt(f)
    }
}

impl std::error::Error for Blocked {}

impl AddressPolicy {
    pub fn new(allow: AllowList) -> Self {
        Self { allow }
    }

    /// May we connect to `ip`, reached under the name `host`?
    pub fn permits(&self, host: &str, ip: IpAddr) -> bool {
        is_public(ip) || self.allow.allows_host(host) || self.allow.allows_ip(ip)
    }

    /// Checks a URL's host when it is an IP literal (names are checked by
    /// the resolver when connecting).
    pub fn check_url(&self, url: &url::Url) -> Result<(), Blocked> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
            _ => return Ok(()),
        };
        let host = url.host_str().unwrap_or_default();
        if self.permits(host, ip) {
            Ok(())
        } else {
            Err(Blocked {
                host: ip.to_string(),
                ip: Some(ip),
            })
        }
    }

    /// A DNS resolver for reqwest that drops forbidden addresses.
    pub fn resolver(self: &Arc<Self>) -> Arc<GuardedResolver> {
        Arc::new(GuardedResolver {
            policy: Arc::clone(self),
        })
    }
}

/// A host name the system resolver found no address for (no such name,
/// or no DNS answer). The fetcher recognises it by type in the error
/// chain reqwest returns, whatever the resolver's message says.
#[derive(Debug, thiserror::Error)]
#[error("cannot resolve {host}: {cause}")]
pub struct Unresolvable {
    pub host: String,
    #[source]
    pub cause: std::io::Error,
}

pub struct GuardedResolver {
    policy: Arc<AddressPolicy>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = Arc::clone(&self.policy);
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let looked_up = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map(|addresses| addresses.collect::<Vec<SocketAddr>>());
            let resolved = match looked_up {
                Ok(resolved) => resolved,
                Err(cause) => {
                    return Err(Box::new(Unresolvable { host, cause })
                        as Box<dyn std::error::Error + Send + Sync>)
                }
            };
            let permitted: Vec<SocketAddr> = resolved
                .iter()
                .copied()
                .filter(|addr| policy.permits(&host, addr.ip()))
                .collect();
            if permitted.is_empty() {
                let ip = resolved.first().map(SocketAddr::ip);
                return Err(
                    Box::new(Blocked { host, ip }) as Box<dyn std::error::Error + Send + Sync>
                );
            }
            Ok(Box::new(permitted.into_iter()) as Addrs)
        })
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are IPv4 addresses.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// True for globally routable unicast addresses.
pub fn is_public(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
        || first == 0x2002 // 6to4 can embed any IPv4 address
        || (first == 0x0064 && ip.segments()[1] == 0xff9b) // NAT64 likewise
        || ip.segments()[..6].iter().all(|s| *s == 0)) // `::a.b.c.d`, IPv4-compatible
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for address in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "2002:7f00:1::",
            "64:ff9b::7f00:1",
            "ff02::1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip(address)), "{address} must not be public");
        }
    }

    #[test]
    fn ordinary_addresses_are_public() {
        for address in [
            "93.184.215.14",
            "151.101.1.69",
            "2606:4700::6810:85e5",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip(address)), "{address} is public");
        }
    }

    #[test]
    fn allow_list_accepts_hosts_ips_and_networks() {
        let allow: AllowList = "127.0.0.1, feeds.intranet, 10.0.0.0/8, ::1"
            .parse()
            .unwrap();
        let policy = AddressPolicy::new(allow);
        assert!(policy.permits("127.0.0.1", ip("127.0.0.1")));
        assert!(
            policy.permits("x", ip("::ffff:127.0.0.1")),
            "mapped form of an allowed IP"
        );
        assert!(policy.permits("feeds.intranet", ip("192.168.1.9")));
        assert!(policy.permits("FEEDS.INTRANET.", ip("192.168.1.9")));
        assert!(policy.permits("other", ip("10.9.9.9")));
        assert!(policy.permits("v6", ip("::1")));
        assert!(!policy.permits("other", ip("192.168.1.9")));
        assert!(!policy.permits("other", ip("127.0.0.2")));
    }

    #[test]
    fn allow_list_rejects_garbage() {
        assert!("http://x".parse::<AllowList>().is_err());
        assert!("".parse::<AllowList>().unwrap().hosts.is_empty());
    }

    #[test]
    fn ip_literals_in_urls_are_checked() {
        let policy = AddressPolicy::default();
        for url in [
            "http://127.0.0.1:8080/feed",
            "http://[::ffff:127.0.0.1]/",
            "http://[::1]/",
            "http://169.254.169.254/latest",
        ] {
            let url = url::Url::parse(url).unwrap();
            let blocked = policy.check_url(&url).unwrap_err();
            assert!(
                blocked
                    .to_string()
                    .starts_with("blocked: address is private"),
                "{url}"
            );
        }
        assert!(policy
            .check_url(&url::Url::parse("https://kubernetes.io/feed.xml").unwrap())
            .is_ok());
    }
}
