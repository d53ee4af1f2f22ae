//! Template helpers: `{{uuid}}`, `{{now}}` (Unix seconds), `{{base64 x}}`, `{{base64url x}}`,
//! `{{urlencode x}}`.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use handlebars::{Handlebars, handlebars_helper};

handlebars_helper!(uuid: | | crate::oauth::uuid_v4());
handlebars_helper!(now: | | std::time::SystemTime::now()
    .duration_since(std::time::UNIX_EPOCH)
    .map(|d| d.as_secs())
    .unwrap_or_default());
handlebars_helper!(base64_helper: |v: str| STANDARD.encode(v));
handlebars_helper!(base64url_helper: |v: str| URL_SAFE_NO_PAD.encode(v));
handlebars_helper!(urlencode: |v: str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>());

pub(super) fn register(hb: &mut Handlebars<'static>) {
    hb.register_helper("uuid", Box::new(uuid));
    hb.register_helper("now", Box::new(now));
    hb.register_helper("base64", Box::new(base64_helper));
    hb.register_helper("base64url", Box::new(base64url_helper));
    hb.register_helper("urlencode", Box::new(urlencode));
}
