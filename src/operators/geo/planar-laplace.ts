/**
 * Planar Laplace noise, the mechanism of geo-indistinguishability (Andrés et al., CCS 2013): a
 * point is moved by a uniform angle and a radius r whose density is ε²·r·e^(−εr); its mean is 2/ε.
 */
import { Random } from '../random';
import { lambertWm1 } from './lambert-w';
import { LatLng, offsetMeters } from './lat-lng';

/**
 * The radius in meters at cumulative probability `p` in [0, 1): the inverse of
 * C(r) = 1 − (1 + εr)·e^(−εr), which is r = −(W₋₁((p − 1)/e) + 1)/ε.
 * @param epsilonPerMeter privacy level ε, per meter (> 0).
 */
export function laplaceRadiusMeters(epsilonPerMeter: number, p: number): number {
  return -(lambertWm1((p - 1) / Math.E) + 1) / epsilonPerMeter;
}

/** `point` moved by one draw of planar Laplace noise. */
export function addPlanarLaplaceNoise(point: LatLng, epsilonPerMeter: number, random: Random): LatLng {
  const theta = random.uniform(0, 2 * Math.PI);
  const r = laplaceRadiusMeters(epsilonPerMeter, random.next());
  return offsetMeters(point, r * Math.cos(theta), r * Math.sin(theta));
}
