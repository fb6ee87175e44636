"""Schemathesis hooks for Hub138, loaded through SCHEMATHESIS_HOOKS by .ci/external.

- Strategies for the custom scalars Schemathesis does not know: `Period`
  (well-formed periods in and out of the accepted years, and arbitrary text)
  and `Upload` (inline text, which a file never is).
- The check CI applies to every answer: no 5xx, and every GraphQL error
  carries an `extensions.code` that is not INTERNAL. It replaces Schemathesis'
  own GraphQL reading of errors, which counts any error with a `path` —
  FORBIDDEN for a coordinator asking for the ADMIN-only audit trail, or
  NOT_FOUND for a generated id — as a server failure.
"""

import json

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

_years = st.integers(min_value=1940, max_value=2105)
_periods = st.one_of(
    _years.map(str),
    st.tuples(_years, st.sampled_from(["H1", "H2", "Q1", "Q2", "Q3", "Q4", "Q5"])).map(
        lambda t: f"{t[0]}-{t[1]}"
    ),
    st.tuples(_years, st.integers(min_value=0, max_value=13)).map(lambda t: f"{t[0]}-{t[1]:02}"),
    st.text(max_size=12),
)
schemathesis.graphql.scalar("Period", _periods.map(nodes.String))
# A file travels only in a multipart request, which Schemathesis does not
# send: inline values must be refused with a code, never crash the server.
schemathesis.graphql.scalar("Upload", st.text(max_size=8).map(nodes.String))


@schemathesis.check
def hub138_no_server_failure(ctx, response, case):
    """No 5xx; every error has a code, and none is INTERNAL."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.content[:500]!r}")
    try:
        body = json.loads(response.content)
    except ValueError as e:
        raise AssertionError(f"not JSON ({e}): {response.content[:200]!r}") from e
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None:
            raise AssertionError(f"an error without extensions.code: {error}")
        if code == "INTERNAL":
            raise AssertionError(f"an INTERNAL error: {error}")
