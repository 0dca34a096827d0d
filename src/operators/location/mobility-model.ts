/**
 * A small synthetic mobility model: each user has a home, a workplace and a few other places
 * around a city centre, and follows a daily routine (home, work, sometimes lunch out, sometimes an
 * evening out, home) with dwell periods at those places, straight trips between them at city
 * speed, and Gaussian GPS noise. Deterministic for a given seed.
 */
import { haversineMeters, interpolate, LatLng, offsetMeters } from '../geo/lat-lng';
import { TraceEvent } from '../geo/traces';
import { Random } from '../random';

export interface MobilityOptions {
  users: number;
  days: number;
  /** Time between two events of a user, in ms (> 0). */
  samplingMs: number;
  seed: number;
  /** @default Lyon, 45.76 N 4.84 E */
  centre?: LatLng;
  /** First day's midnight, Unix ms. @default 2024-01-01T00:00:00Z */
  startMs?: number;
  /** Standard deviation of the GPS noise on each axis, in meters. @default 10 */
  gpsNoiseMeters?: number;
}

export interface SimulatedUser {
  /** `user000`, `user001`, ... (sorts like the numbers). */
  id: string;
  home: LatLng;
  work: LatLng;
  others: LatLng[];
  events: TraceEvent[];
}

export const LYON: LatLng = { lat: 45.76, lng: 4.84 };
export const DEFAULT_START_MS = Date.UTC(2024, 0, 1);

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** 25 km/h: a city trip by bike, bus or car. */
const SPEED_M_PER_MS = 25_000 / HOUR_MS;

/** A stretch of time during which the user stays at `from` (from === to) or moves to `to`. */
interface Segment {
  startMs: number;
  endMs: number;
  from: LatLng;
  to: LatLng;
}

function placeAround(centre: LatLng, random: Random, minMeters: number, maxMeters: number): LatLng {
  // sqrt makes points uniform over the annulus rather than crowded near the centre.
  const r = Math.sqrt(random.uniform(minMeters ** 2, maxMeters ** 2));
  const theta = random.uniform(0, 2 * Math.PI);
  return offsetMeters(centre, r * Math.cos(theta), r * Math.sin(theta));
}

/** The user's days as consecutive segments covering [startMs, startMs + days). */
function routine(user: Omit<SimulatedUser, 'id' | 'events'>, days: number, startMs: number, random: Random): Segment[] {
  const segments: Segment[] = [];
  let here = user.home;
  let since = startMs;
  const goTo = (place: LatLng, departMs: number): void => {
    const depart = Math.max(departMs, since);
    segments.push({ startMs: since, endMs: depart, from: here, to: here });
    const arrive = depart + Math.round(haversineMeters(here, place) / SPEED_M_PER_MS);
    segments.push({ startMs: depart, endMs: arrive, from: here, to: place });
    here = place;
    since = arrive;
  };
  const other = (): LatLng => user.others[random.int(user.others.length)];
  for (let d = 0; d < days; d++) {
    const midnight = startMs + d * DAY_MS;
    goTo(user.work, midnight + 8 * HOUR_MS + Math.round(random.normal(0, 20) * MINUTE_MS));
    if (random.chance(0.5)) {
      goTo(other(), midnight + 12 * HOUR_MS + Math.round(random.uniform(-15, 15) * MINUTE_MS));
      goTo(user.work, since + Math.round(random.uniform(45, 75) * MINUTE_MS));
    }
    goTo(user.home, midnight + 17.5 * HOUR_MS + Math.round(random.normal(0, 30) * MINUTE_MS));
    if (random.chance(0.4)) {
      goTo(other(), since + Math.round(random.uniform(30, 90) * MINUTE_MS));
      goTo(user.home, since + Math.round(random.uniform(60, 120) * MINUTE_MS));
    }
  }
  segments.push({ startMs: since, endMs: startMs + days * DAY_MS, from: here, to: here });
  return segments.filter((s) => s.endMs > s.startMs);
}

/** Simulates `users` users for `days` days; same options, same result. */
export function simulateMobility(options: MobilityOptions): SimulatedUser[] {
  const centre = options.centre ?? LYON;
  const startMs = options.startMs ?? DEFAULT_START_MS;
  const noise = options.gpsNoiseMeters ?? 10;
  const random = new Random(options.seed);
  const width = Math.max(3, String(options.users - 1).length);
  const users: SimulatedUser[] = [];
  for (let u = 0; u < options.users; u++) {
    const places = {
      home: placeAround(centre, random, 500, 6000),
      work: placeAround(centre, random, 0, 3000),
      others: [placeAround(centre, random, 300, 5000), placeAround(centre, random, 300, 5000)],
    };
    const segments = routine(places, options.days, startMs, random);
    const events: TraceEvent[] = [];
    let s = 0;
    for (let t = startMs; t < startMs + options.days * DAY_MS; t += options.samplingMs) {
      while (segments[s].endMs <= t) s++;
      const seg = segments[s];
      const p = seg.from === seg.to ? seg.from : interpolate(seg.from, seg.to, (t - seg.startMs) / (seg.endMs - seg.startMs));
      const noisy = offsetMeters(p, random.normal(0, noise), random.normal(0, noise));
      events.push({ timeMs: t, lat: noisy.lat, lng: noisy.lng });
    }
    users.push({ id: `user${String(u).padStart(width, '0')}`, ...places, events });
  }
  return users;
}
