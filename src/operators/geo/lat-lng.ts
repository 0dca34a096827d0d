/**
 * Points on the Earth (WGS84 degrees), distances and small displacements in meters.
 */

/** A position in degrees, WGS84. */
export interface LatLng {
  lat: number;
  lng: number;
}

/** Mean Earth radius (IUGG), in meters. */
export const EARTH_RADIUS_METERS = 6_371_008.8;

const RAD = Math.PI / 180;

/** Great-circle distance in meters (haversine formula). */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The point `eastMeters` east and `northMeters` north of `p`, by a local equirectangular
 * approximation: accurate to well under a meter for displacements of a few kilometers away from
 * the poles, which is all the noise and mobility models need.
 */
export function offsetMeters(p: LatLng, eastMeters: number, northMeters: number): LatLng {
  const lat = p.lat + northMeters / EARTH_RADIUS_METERS / RAD;
  const lng = p.lng + eastMeters / (EARTH_RADIUS_METERS * Math.cos(p.lat * RAD)) / RAD;
  return { lat, lng };
}

/** The point a fraction `t` (0..1) of the way from `a` to `b`; fine for city-scale distances. */
export function interpolate(a: LatLng, b: LatLng, t: number): LatLng {
  return { lat: a.lat + (b.lat - a.lat) * t, lng: a.lng + (b.lng - a.lng) * t };
}
