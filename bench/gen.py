#!/usr/bin/env python3
"""Generates the synthetic suite: N grantspec scenarios and the N equivalent Hurl files.

Each scenario: discovery (GET, status and two JSON assertions), client_credentials token with
HTTP Basic (status, Cache-Control, two JSON assertions, one capture), introspection of the
captured token with HTTP Basic (status, one JSON assertion). The floor (bench/floor) does the
same requests with the same checks.

Usage: gen.py N OUT_DIR   → OUT_DIR/scenarios/s00000.yaml …, OUT_DIR/hurl/s00000.hurl …
"""
import pathlib
import shutil
import sys

SCENARIO = """\
name: synthetic {i:05d}
doc: Discovery, client_credentials with Basic, introspection of the token.
tags: [bench]
steps:
  - name: discovery
    http:
      url: "{{{{ issuer }}}}/.well-known/openid-configuration"
    expect:
      status: 200
      json:
        issuer: "{{{{ issuer }}}}"
        token_endpoint: {{ exists: true }}
  - name: token
    http:
      method: POST
      url: "{{{{ endpoints.token }}}}"
      auth: {{ basic: app_basic }}
      form: {{ grant_type: client_credentials, scope: PersonneConsult }}
    expect:
      status: 200
      headers:
        cache-control: {{ contains: no-store }}
      json:
        token_type: Bearer
        access_token: {{ regex: "^at-" }}
    capture:
      access_token: "$.access_token"
  - name: introspect
    http:
      method: POST
      url: "{{{{ endpoints.introspection }}}}"
      auth: {{ basic: app_basic }}
      form: {{ token: "{{{{ access_token }}}}" }}
    expect:
      status: 200
      json:
        active: true
"""

HURL = """\
# synthetic {i:05d}: discovery, client_credentials with Basic, introspection of the token
GET {{{{issuer}}}}/.well-known/openid-configuration
HTTP 200
[Asserts]
jsonpath "$.issuer" == "{{{{issuer}}}}"
jsonpath "$.token_endpoint" exists

POST {{{{token_endpoint}}}}
[BasicAuth]
{{{{client_id}}}}: {{{{client_secret}}}}
[Form]
grant_type: client_credentials
scope: PersonneConsult
HTTP 200
[Captures]
access_token: jsonpath "$.access_token"
[Asserts]
header "Cache-Control" contains "no-store"
jsonpath "$.token_type" == "Bearer"
jsonpath "$.access_token" matches "^at-"

POST {{{{introspection_endpoint}}}}
[BasicAuth]
{{{{client_id}}}}: {{{{client_secret}}}}
[Form]
token: {{{{access_token}}}}
HTTP 200
[Asserts]
jsonpath "$.active" == true
"""


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    for sub in ("scenarios", "hurl"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)
    for i in range(n):
        (out / "scenarios" / f"s{i:05d}.yaml").write_text(SCENARIO.format(i=i))
        (out / "hurl" / f"s{i:05d}.hurl").write_text(HURL.format(i=i))


if __name__ == "__main__":
    main()
