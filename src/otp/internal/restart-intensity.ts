/**
 * @internal A supervisor's restart budget (OTP's intensity and period): at most `intensity`
 * restarts within any `period` seconds. Keeps only the timestamps still inside the period.
 */
export class RestartIntensity {
  readonly #intensity: number;
  readonly #periodMs: number;
  readonly #restarts: number[] = [];

  constructor(intensity: number, periodSeconds: number) {
    this.#intensity = intensity;
    this.#periodMs = periodSeconds * 1000;
  }

  /** Records a restart now; returns false when it is one too many (the supervisor must give up). */
  add(now = performance.now()): boolean {
    const restarts = this.#restarts;
    restarts.push(now);
    let expired = 0;
    while (expired < restarts.length && now - restarts[expired]! >= this.#periodMs) expired++;
    if (expired > 0) restarts.splice(0, expired);
    return restarts.length <= this.#intensity;
  }
}

/** @internal Validates `intensity` and `period` options and fills in OTP's defaults (1 in 5 seconds). */
export function expectIntensity(options: { readonly intensity?: number; readonly period?: number } | undefined): { intensity: number; period: number } {
  const intensity = options?.intensity ?? 1;
  if (!Number.isInteger(intensity) || intensity < 0) {
    throw new TypeError(`Expected \`options.intensity\` to be a whole number from 0 up, got \`${String(intensity)}\` (${typeof intensity})`);
  }
  const period = options?.period ?? 5;
  if (typeof period !== 'number' || !(period > 0) || !Number.isFinite(period)) {
    throw new TypeError(`Expected \`options.period\` to be a number of seconds above 0, got \`${String(period)}\` (${typeof period})`);
  }
  return { intensity, period };
}
