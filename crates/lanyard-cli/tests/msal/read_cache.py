#!/usr/bin/env python3
"""Reads an MSAL token cache file with MSAL Python (the `msal` package) and prints, as JSON,
what MSAL Python finds in it: accounts, ID/access/refresh tokens (ids, targets, expiry and a
SHA-256 of each secret, never a secret), and what MSAL Python's own silent lookups return.

    read_cache.py FILE --client-id ID [--api NAME "SCOPE ..."]...

The lookups are the queries `ClientApplication.acquire_token_silent` makes: an access token by
(home_account_id, environment, client_id, realm) and scopes, a refresh token by
(home_account_id, environment, client_id).
"""
import argparse
import hashlib
import json
import os
import sys

# The pinned install from scripts/install-deps.sh (tests/msal/requirements.txt).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".python"))
import msal  # noqa: E402

CT = msal.TokenCache.CredentialType


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def pick(entry, *fields):
    return {f: entry.get(f) for f in fields}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--api", nargs=2, action="append", default=[], metavar=("NAME", "SCOPES"))
    args = parser.parse_args()

    cache = msal.SerializableTokenCache()
    with open(args.file, encoding="utf-8") as f:
        cache.deserialize(f.read())

    accounts = list(cache.search(CT.ACCOUNT))
    out = {
        "msal_version": msal.__version__,
        "accounts": [
            pick(a, "home_account_id", "environment", "realm", "username",
                 "local_account_id", "authority_type")
            for a in accounts
        ],
        "id_tokens": [
            dict(pick(t, "home_account_id", "environment", "realm", "client_id"),
                 sha256=digest(t["secret"]))
            for t in cache.search(CT.ID_TOKEN)
        ],
        "access_tokens": [
            dict(pick(t, "home_account_id", "environment", "realm", "client_id", "target",
                      "expires_on"),
                 sha256=digest(t["secret"]))
            for t in cache.search(CT.ACCESS_TOKEN)
        ],
        "refresh_tokens": [
            dict(pick(t, "home_account_id", "environment", "client_id", "family_id"),
                 sha256=digest(t["secret"]))
            for t in cache.search(CT.REFRESH_TOKEN)
        ],
        "lookups": {},
    }
    for account in accounts:
        home = account["home_account_id"]
        found = {}
        for name, scopes in args.api:
            hits = list(cache.search(CT.ACCESS_TOKEN, target=scopes.split(), query={
                "home_account_id": home,
                "environment": account["environment"],
                "client_id": args.client_id,
                "realm": account["realm"],
            }))
            found[name] = [digest(t["secret"]) for t in hits]
        rts = list(cache.search(CT.REFRESH_TOKEN, query={
            "home_account_id": home,
            "environment": account["environment"],
            "client_id": args.client_id,
        }))
        found["refresh_token"] = [digest(t["secret"]) for t in rts]
        out["lookups"][home] = found
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
