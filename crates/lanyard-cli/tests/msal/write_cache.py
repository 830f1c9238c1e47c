#!/usr/bin/env python3
"""Builds an MSAL token cache with MSAL Python from token-response events and writes it.

    write_cache.py SPEC OUT

SPEC is JSON: {"events": [EVENT, ...]}; each EVENT goes to `SerializableTokenCache.add`, as
MSAL Python's own token requests do (client_id, scope, token_endpoint, grant_type, response with
access_token, refresh_token, id_token, client_info, expires_in). No network is used.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".python"))
import msal  # noqa: E402


def main():
    spec_path, out_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    cache = msal.SerializableTokenCache()
    for event in spec["events"]:
        cache.add(event)
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(cache.serialize())
    print(json.dumps({"msal_version": msal.__version__, "events": len(spec["events"])}))


if __name__ == "__main__":
    main()
