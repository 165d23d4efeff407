#!/usr/bin/env bash
# Build the offline web page's assets into furat/web/static (committed: a user installing furat from
# PyPI needs no npm). Leaflet comes from npm (web/package.json, pinned by web/package-lock.json); the
# basemap is Natural Earth from ../shared/data/kb/gazetteer/basemap: world-atlas 110m countries
# (TopoJSON -> GeoJSON with topojson-client) and the Syria + Iraq governorates, coordinates rounded.
#   scripts/build_web.sh               assets only
#   scripts/build_web.sh --screenshot  also docs/screenshot.png (ingests the seeds, needs chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
BASEMAP=${FURAT_BASEMAP:-../shared/data/kb/gazetteer/basemap}
OUT=furat/web/static

(cd web && npm ci --no-audit --no-fund --silent)
mkdir -p "$OUT/vendor/leaflet/images" "$OUT/basemap"
cp web/node_modules/leaflet/dist/leaflet.js web/node_modules/leaflet/dist/leaflet.css \
   web/node_modules/leaflet/LICENSE "$OUT/vendor/leaflet/"
cp web/node_modules/leaflet/dist/images/*.png "$OUT/vendor/leaflet/images/"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node web/node_modules/topojson-client/bin/topo2geo "countries=$tmp/countries.geojson" \
  < "$BASEMAP/world-atlas_countries-110m.json"
python3 - "$tmp/countries.geojson" "$BASEMAP/ne_10m_admin1_SYR_IRQ.geojson" "$OUT/basemap" <<'PY'
"""Round coordinates to ~100 m and keep only the names the page shows."""
import json
import sys
from pathlib import Path


def rounded(value):
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return round(value, 3)


def slim(path, keep, out):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    features = [{"type": "Feature", "properties": {k: f["properties"].get(k) for k in keep},
                 "geometry": {"type": f["geometry"]["type"], "coordinates": rounded(f["geometry"]["coordinates"])}}
                for f in data["features"] if f.get("geometry")]
    Path(out).write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                    ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


slim(sys.argv[1], ["name"], Path(sys.argv[3]) / "countries.geojson")
slim(sys.argv[2], ["name", "name_ar", "adm0_a3"], Path(sys.argv[3]) / "admin1_syr_irq.geojson")
PY
cp "$BASEMAP/world-atlas_LICENSE.txt" "$OUT/basemap/LICENSE-world-atlas.txt"
du -sh "$OUT"/basemap/* "$OUT"/vendor/leaflet/leaflet.js

if [[ "${1:-}" == "--screenshot" ]]; then
  python3 scripts/screenshot.py docs/screenshot.png
fi
