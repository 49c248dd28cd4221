#!/usr/bin/env bash
# Screenshots of a built site in headless Chromium, at desktop and phone widths, to look at
# before calling a theme change done.
#   scripts/screenshots.sh [SITE_DIR] [OUT_DIR]      (defaults: content-example/site, target/screenshots)
set -euo pipefail
site=$(realpath "${1:-content-example/site}")
out=${2:-target/screenshots}
mkdir -p "$out"
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}
shoot() { # page name width height
  "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
    --hide-scrollbars --user-data-dir="$(mktemp -d)" --window-size="$3,$4" \
    --screenshot="$out/$2.png" "file://$site/$1" >/dev/null 2>&1
  echo "$out/$2.png"
}
first_plan=$(cd "$site/plans" && ls -d */ | head -n 1 | tr -d /)
active_plan=$(grep -l 'status-active' "$site"/plans/*/index.html | head -n 1 | xargs dirname | xargs basename)
shoot index.html dashboard-desktop 1280 1800
shoot index.html dashboard-phone 390 2400
shoot "plans/$active_plan/index.html" plan-desktop 1280 2600
shoot "plans/$active_plan/index.html" plan-phone 390 3600
shoot "plans/$first_plan/index.html" plan-completed-desktop 1280 2400
shoot plans/index.html plans-desktop 1280 1600
shoot debt/index.html debt-desktop 1280 1600
shoot quality/index.html quality-desktop 1280 1800
