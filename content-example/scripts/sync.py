#!/usr/bin/env python3
"""Legacy upstream mirror sync, run from cron every 15 minutes.

See EP-010: this script is being replaced by the in-process scheduler in src/sync/.
Keep it working until the scheduler is enabled in production (TD-009).
"""
import argparse
import json
import pathlib
import sys
import urllib.request

CURSOR_FILE = pathlib.Path("data/sync-cursor.txt")


def read_cursor() -> str:
    # See EP-010: the scheduler keeps cursors in the sync_cursors table instead.
    return CURSOR_FILE.read_text().strip() if CURSOR_FILE.exists() else ""


def fetch_changes(upstream: str, since: str) -> list[dict]:
    url = f"{upstream}/changes?since={since}" if since else f"{upstream}/changes"
    with urllib.request.urlopen(url, timeout=60) as resp:
        return json.load(resp)["changes"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--harbor", default="http://localhost:8080")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()

    since = read_cursor()
    changes = fetch_changes(args.upstream, since)
    print(f"{len(changes)} changes since {since or 'the beginning'}")
    if args.dry_run or not changes:
        return 0
    body = json.dumps({"upstream": args.upstream, "changes": changes}).encode()
    req = urllib.request.Request(
        f"{args.harbor}/api/admin/sync-batch", data=body, method="POST",
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=300):
        pass
    CURSOR_FILE.write_text(changes[-1]["seq"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
