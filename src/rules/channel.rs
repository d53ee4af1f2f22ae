//! How a URL travels: over TLS, in plain text on the loopback interface, or in plain text on a
//! network. Shared by A-01 (what the steps requested) and B-09 (what discovery advertises).
//!
//! Only the loopback IP literals (127.0.0.0/8, ::1) count as loopback. No RFC exempts an
//! authorization server's endpoints from TLS: the exemption is the harness's own allowance for
//! local test servers, by analogy with RFC 8252 §7.3 and RFC 9700 §2.6, which exempt loopback
//! redirect URIs because that traffic never crosses a network; and as RFC 8252 §8.3 calls
//! `localhost` NOT RECOMMENDED (name resolution may send it elsewhere), the name gets none. A server that speaks TLS gets no exemption: plain http
//! next to an https issuer is a downgrade, loopback or not.

use std::net::IpAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Channel {
    Tls,
    /// Plain http to a loopback IP literal.
    Loopback,
    /// Plain http anywhere else, or not an absolute http(s) URL.
    Plain,
}

pub(super) fn channel(url: &str) -> Channel {
    let Ok(url) = url::Url::parse(url) else {
        return Channel::Plain;
    };
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        _ => false,
    };
    match url.scheme() {
        "https" => Channel::Tls,
        "http" if loopback => Channel::Loopback,
        _ => Channel::Plain,
    }
}

/// Whether `url` is acceptable for a server whose issuer is `issuer`: https, or plain http on
/// a loopback IP literal when the issuer itself is not https.
pub(super) fn acceptable(url: &str, issuer: Option<&str>) -> bool {
    let issuer_tls = issuer.is_some_and(|i| channel(i) == Channel::Tls);
    match channel(url) {
        Channel::Tls => true,
        Channel::Loopback => !issuer_tls,
        Channel::Plain => false,
    }
}

/// `scheme://host:port` of `url`, for messages (no path, no query: nothing secret).
pub(super) fn origin(url: &str) -> String {
    url::Url::parse(url).map_or_else(
        |_| format!("{url:?} (not an absolute URL)"),
        |u| u.origin().ascii_serialization(),
    )
}

/// What a run on loopback records instead of a failure.
pub(super) const LOOPBACK_NOTE: &str = "plain http on a loopback IP literal (recorded: the harness exempts local test servers, by analogy with RFC 8252 §7.3)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_ip_literals_are_loopback() {
        assert_eq!(channel("https://as.example/token"), Channel::Tls);
        assert_eq!(channel("http://127.0.0.1:8080/token"), Channel::Loopback);
        assert_eq!(channel("http://127.5.0.1/token"), Channel::Loopback);
        assert_eq!(channel("http://[::1]:8080/token"), Channel::Loopback);
        assert_eq!(channel("http://localhost:8080/token"), Channel::Plain);
        assert_eq!(channel("http://as.example/token"), Channel::Plain);
        assert_eq!(channel("/token"), Channel::Plain);
    }

    #[test]
    fn an_https_issuer_gets_no_loopback_exemption() {
        let plain = Some("http://127.0.0.1:1");
        assert!(acceptable("http://127.0.0.1:1/token", plain));
        assert!(!acceptable(
            "http://127.0.0.1:1/token",
            Some("https://127.0.0.1:1")
        ));
        assert!(!acceptable("http://as.example/token", plain));
        assert!(acceptable(
            "https://as.example/token",
            Some("https://as.example")
        ));
        assert_eq!(
            origin("http://as.example:81/t?code=x"),
            "http://as.example:81"
        );
    }
}
