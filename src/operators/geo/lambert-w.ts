/**
 * The lower branch W₋₁ of the Lambert W function, which inverts the planar Laplace distribution's
 * radial CDF (see planar-laplace.ts).
 */

const MINUS_INV_E = -1 / Math.E;

/**
 * W₋₁(x) for x in [-1/e, 0): the solution w <= -1 of w·eʷ = x. Halley's iteration from a
 * branch-point series (near -1/e) or an asymptotic guess (near 0); converges in a few steps.
 * @throws RangeError outside [-1/e, 0).
 */
export function lambertWm1(x: number): number {
  if (!(x >= MINUS_INV_E - 1e-15 && x < 0)) throw new RangeError(`W-1 is defined on [-1/e, 0), got ${x}`);
  if (x <= MINUS_INV_E) return -1;
  let w: number;
  if (x < -0.25) {
    // Series around the branch point, in p = -sqrt(2(1 + e·x)).
    const p = -Math.sqrt(2 * (1 + Math.E * x));
    w = -1 + p - (p * p) / 3 + (11 / 72) * p * p * p;
  } else {
    const l1 = Math.log(-x);
    w = l1 - Math.log(-l1);
  }
  for (let i = 0; i < 50; i++) {
    const ew = Math.exp(w);
    const f = w * ew - x;
    const wp1 = w + 1;
    // At the branch point the derivative vanishes; the series guess is already exact enough there.
    if (wp1 === 0) break;
    const step = f / (ew * wp1 - ((w + 2) * f) / (2 * wp1));
    w -= step;
    if (Math.abs(step) <= 1e-14 * Math.abs(w)) break;
  }
  return Math.min(w, -1);
}
