// When to ask for progress next. Steps come at a steady pace, so the next request goes just after
// the next step is due instead of at a fixed interval. When the newest step began is known to
// lie between two requests (the last that saw the old count and the first that saw the new one);
// one pace later, the next step lies in that bracket moved on. Where two requests per step fit in
// the rate cap, the first asks at the bracket's middle: whatever it sees halves the bracket, so
// after a few steps each request lands just after its step. Pure: the caller brings the clock.

/** Never more than this many requests per second on average (a shared server has other users). */
export const MAX_REQUESTS_PER_SECOND = 1.5;
const MIN_INTERVAL_MS = 1000 / MAX_REQUESTS_PER_SECOND;
/** Before the pace is known, and when steps come faster than the cap lets us follow. */
export const DEFAULT_INTERVAL_MS = 750;
/** Asked this long after a step is due, to land after it. */
const MARGIN_MS = 30;
/** A second look is never sooner than this after the last answer. */
const SHORTEST_MS = 100;

export class PollSchedule {
  private count = -1;
  private lastAsk = 0;
  /** The newest step (`index` steps done) began in (low, high]: what the requests saw, narrowed by the pace. */
  private bracket: { index: number; low: number; high: number } | undefined;
  /** The first step change the requests saw (their own bracket's middle), the baseline of the pace. */
  private first: { index: number; middle: number } | undefined;
  private stepMs: number | undefined;
  /** The newest request since the newest step that did not see the next one yet, and how many did not. */
  private missedAt: number | undefined;
  private misses = 0;

  /** An answer to a request made at `askedAt`: steps done in the whole job; the server's time left when it says. */
  observe(askedAt: number, stepsDone: number, etaMs?: number, totalSteps?: number): void {
    // The server's own time left is the better pace while it has one (A1111: elapsed / progress).
    const fromServer = etaMs !== undefined && totalSteps !== undefined && etaMs > 0 && totalSteps > stepsDone;
    if (fromServer) this.stepMs = etaMs / (totalSteps - stepsDone);
    if (this.count >= 0 && stepsDone > this.count) {
      const seen = { low: this.lastAsk, high: askedAt };
      this.first ??= { index: stepsDone, middle: (seen.low + seen.high) / 2 };
      // Without it, the pace from the steps seen: over several steps, as one bracket is wide.
      if (!fromServer && stepsDone - this.first.index >= 3) this.stepMs = ((seen.low + seen.high) / 2 - this.first.middle) / (stepsDone - this.first.index);
      let { low, high } = seen;
      const previous = this.bracket;
      if (previous && this.stepMs !== undefined) {
        // What the pace predicts narrows what the requests saw (unless they disagree: a pause).
        const shift = (stepsDone - previous.index) * this.stepMs;
        const predictedLow = Math.max(low, previous.low + shift);
        const predictedHigh = Math.min(high, previous.high + shift);
        if (predictedLow < predictedHigh) [low, high] = [predictedLow, predictedHigh];
      }
      this.bracket = { index: stepsDone, low, high };
      this.missedAt = undefined;
      this.misses = 0;
    } else if (this.bracket && stepsDone === this.count) {
      this.missedAt = askedAt;
      this.misses += 1;
    }
    this.count = Math.max(this.count, stepsDone);
    this.lastAsk = askedAt;
  }

  /** How long to wait from `now` (an answer just arrived) before the next request. */
  nextDelay(now: number): number {
    const { stepMs, bracket } = this;
    if (stepMs === undefined || !bracket || stepMs < MIN_INTERVAL_MS) return DEFAULT_INTERVAL_MS;
    // Two requests per step fit in the cap from this pace on; with one, never faster than the cap.
    const twoFit = stepMs >= 2 * MIN_INTERVAL_MS;
    const withinCap = (delay: number) => Math.max(SHORTEST_MS, delay, twoFit ? 0 : MIN_INTERVAL_MS - (now - this.lastAsk));
    const low = Math.max(bracket.low + stepMs, this.missedAt ?? -Infinity);
    const high = bracket.high + stepMs;
    // Due already: the pace changed (one quick look), or the server pauses (the last step is done
    // and the images are on their way, a model loads): then at the cap's pace.
    if (high <= now) return withinCap(this.misses <= 1 ? SHORTEST_MS : MIN_INTERVAL_MS - (now - this.lastAsk));
    return withinCap((twoFit && this.missedAt === undefined ? (low + high) / 2 : high) + MARGIN_MS - now);
  }
}
