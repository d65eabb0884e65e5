/**
 * The world's country shapes for the ECharts map: Natural Earth 1:110m from the `world-atlas`
 * package (TopoJSON), converted to GeoJSON with `topojson-client`. Each feature keeps its ISO
 * 3166-1 numeric code (`num`, "376"), which the countries API gives for every ISO3 code. This
 * module is imported by the map page only, so the shapes load with that page and no other.
 */
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import topology from 'world-atlas/countries-110m.json';

export interface WorldFeatureProps {
  /** ISO 3166-1 numeric code, three digits ("004"); empty for shapes without one (N. Cyprus …). */
  num: string;
  /** Natural Earth's English short name. */
  ne_name: string;
}

type Ring = number[][];

/**
 * Rings that cross the antimeridian (Fiji, eastern Russia) would be drawn as a stripe across
 * the whole map: their points on the far side are put on the ±180° meridian instead.
 */
function clampRing(ring: Ring): Ring {
  let jumps = 0;
  for (let i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) jumps++;
  if (!jumps) return ring;
  const east = ring.filter((p) => p[0] >= 0).length >= ring.length / 2;
  return ring.map(([x, y]) => (east && x < 0 ? [180, y] : !east && x > 0 ? [-180, y] : [x, y]));
}

function clampGeometry(g: GeoJSON.Geometry): GeoJSON.Geometry {
  if (g.type === 'Polygon') return { ...g, coordinates: g.coordinates.map(clampRing) };
  if (g.type === 'MultiPolygon') return { ...g, coordinates: g.coordinates.map((poly) => poly.map(clampRing)) };
  return g;
}

let cached: GeoJSON.FeatureCollection<GeoJSON.Geometry, WorldFeatureProps> | null = null;

/** The countries as a GeoJSON feature collection (Antarctica left out: it only takes room). */
export function worldGeoJson(): GeoJSON.FeatureCollection<GeoJSON.Geometry, WorldFeatureProps> {
  if (cached) return cached;
  const topo = topology as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries) as GeoJSON.FeatureCollection<GeoJSON.Geometry, { name: string }>;
  cached = {
    type: 'FeatureCollection',
    features: fc.features
      .filter((f) => f.id !== '010')
      .map((f) => ({ type: 'Feature', id: f.id, geometry: clampGeometry(f.geometry), properties: { num: f.id === undefined ? '' : String(f.id), ne_name: f.properties?.name ?? '' } })),
  };
  return cached;
}
