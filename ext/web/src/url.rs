//! `URL` parsing and setters, backed by the `url` crate (a WHATWG URL
//! Standard implementation). The JS class in `js/06_url.js` keeps the parts.
//!
//! Spec: <https://url.spec.whatwg.org/#url-class>

use deno_core::op2;
use deno_core::url::quirks;
use deno_core::url::Url;

/// The URL's parts as the URL Standard's getters return them:
/// `[href, origin, protocol, username, password, host, hostname, port,
/// pathname, search, hash]`.
fn parts(url: &Url) -> Vec<String> {
  vec![
    quirks::href(url).to_owned(),
    quirks::origin(url),
    quirks::protocol(url).to_owned(),
    quirks::username(url).to_owned(),
    quirks::password(url).to_owned(),
    quirks::host(url).to_owned(),
    quirks::hostname(url).to_owned(),
    quirks::port(url).to_owned(),
    quirks::pathname(url).to_owned(),
    quirks::search(url).to_owned(),
    quirks::hash(url).to_owned(),
  ]
}

/// The basic URL parser: `null` on failure.
#[op2]
#[serde]
pub fn op_url_parse(#[string] href: &str, #[string] base: Option<String>) -> Option<Vec<String>> {
  let base = match base {
    Some(base) => Some(Url::parse(&base).ok()?),
    None => None,
  };
  let url = Url::options().base_url(base.as_ref()).parse(href).ok()?;
  Some(parts(&url))
}

/// Applies one setter to an already valid `href`: 0 href, 1 protocol,
/// 2 username, 3 password, 4 host, 5 hostname, 6 port, 7 pathname,
/// 8 search, 9 hash. `null` when the href setter fails; the other setters
/// ignore invalid values, as the standard says.
#[op2]
#[serde]
pub fn op_url_set(#[string] href: &str, setter: u32, #[string] value: &str) -> Option<Vec<String>> {
  let mut url = Url::parse(href).ok()?;
  match setter {
    0 => quirks::set_href(&mut url, value).ok()?,
    1 => drop(quirks::set_protocol(&mut url, value)),
    2 => drop(quirks::set_username(&mut url, value)),
    3 => drop(quirks::set_password(&mut url, value)),
    4 => drop(quirks::set_host(&mut url, value)),
    5 => drop(quirks::set_hostname(&mut url, value)),
    6 => drop(quirks::set_port(&mut url, value)),
    7 => quirks::set_pathname(&mut url, value),
    8 => quirks::set_search(&mut url, value),
    9 => quirks::set_hash(&mut url, value),
    _ => return None,
  }
  Some(parts(&url))
}
