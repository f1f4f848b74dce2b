"""Build the dashboard's offline basemap: country outlines of Libya and its neighbours as GeoJSON.

The source is Natural Earth's 1:50m admin-0 countries (public domain), as redistributed in TopoJSON
by the npm package ``world-atlas`` (ISC licence). Fetch it once at development time with the
ordinary npm client, then decode it here; nothing is fetched when ceasefire runs::

    npm pack world-atlas@2.0.2            # writes world-atlas-2.0.2.tgz
    python tools/build_basemap.py world-atlas-2.0.2.tgz

The output (``src/ceasefire/web/static/basemap/countries.geojson``) is kept in the repository.
"""

from __future__ import annotations

import argparse
import json
import tarfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "src" / "ceasefire" / "web" / "static" / "basemap" / "countries.geojson"
MEMBER = "package/countries-50m.json"
# ISO 3166-1 numeric codes: Libya, its land neighbours and the nearest Mediterranean states
COUNTRIES = {
    "434": "Libya",
    "818": "Egypt",
    "729": "Sudan",
    "148": "Chad",
    "562": "Niger",
    "012": "Algeria",
    "788": "Tunisia",
    "470": "Malta",
    "380": "Italy",
    "300": "Greece",
    "792": "Turkey",
}
DIGITS = 3  # about 100 m: plenty for outlines at the zooms the dashboard uses
CREDIT = (
    "Country outlines: Natural Earth 1:50m admin-0 countries v4.1.0 (public domain), "
    "via the world-atlas 2.0.2 TopoJSON package (ISC licence, © Michael Bostock)."
)


def read_topology(path: Path) -> dict[str, Any]:
    """The TopoJSON of ``path``: the package tarball or the extracted ``countries-50m.json``."""
    if path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path) as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{path} holds no {MEMBER}")
            data: dict[str, Any] = json.load(member)
            return data
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute longitude/latitude points of every arc (quantised, delta-encoded in TopoJSON)."""
    transform = topology.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        points: list[tuple[float, float]] = []
        x = y = 0.0
        for position in arc:
            if transform is None:
                points.append((float(position[0]), float(position[1])))
                continue
            x += position[0]
            y += position[1]
            (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """One closed ring from arc indexes (a negative index ``~i`` is arc ``i`` reversed)."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return [[round(x, DIGITS), round(y, DIGITS)] for x, y in points]


def geometry(shape: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> dict[str, Any]:
    if shape["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r, arcs) for r in shape["arcs"]]}
    if shape["type"] == "MultiPolygon":
        polygons = [[ring(r, arcs) for r in polygon] for polygon in shape["arcs"]]
        return {"type": "MultiPolygon", "coordinates": polygons}
    raise SystemExit(f"unexpected geometry type {shape['type']}")


def build(topology: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the chosen countries, with the source credited."""
    arcs = decode_arcs(topology)
    features = []
    for shape in topology["objects"]["countries"]["geometries"]:
        code = str(shape.get("id", ""))
        if code not in COUNTRIES:
            continue
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"name": shape["properties"]["name"], "focus": code == "434"},
                "geometry": geometry(shape, arcs),
            }
        )
    missing = set(COUNTRIES) - {f["id"] for f in features}
    if missing:
        raise SystemExit(f"countries missing from the source: {sorted(missing)}")
    features.sort(key=lambda f: str(f["id"]))
    return {"type": "FeatureCollection", "attribution": CREDIT, "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="world-atlas tarball or countries-50m.json")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args()
    collection = build(read_topology(args.source))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(collection['features'])} countries, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
