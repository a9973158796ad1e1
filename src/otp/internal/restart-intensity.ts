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
