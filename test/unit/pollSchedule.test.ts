// The progress request schedule (src/generation/pollSchedule.ts) on a simulated clock: a server
// whose steps take P ms from an unknown start, answering at once. The numbers are the
// algorithm's, not a machine's: BENCHMARKS.md section 6 measures the real thing.

import * as assert from 'node:assert/strict';
import { MAX_REQUESTS_PER_SECOND, PollSchedule } from '../../src/generation/pollSchedule';

function simulate(stepMs: number, start: number, steps = 22, withEta = true): { medianDelay: number; perSecond: number } {
  const schedule = new PollSchedule();
  const asks: { at: number; done: number }[] = [];
  const end = start + steps * stepMs;
  for (let at = 375; at < end;) {
    const done = Math.max(0, Math.min(steps, Math.floor((at - start) / stepMs) + 1));
    asks.push({ at, done });
    schedule.observe(at, done, withEta ? (steps - done) * stepMs : undefined, steps);
    at += schedule.nextDelay(at);
  }
  const delays: number[] = [];
  for (let step = 1; step < steps; step++) {
    const seen = asks.find((ask) => ask.done >= step);
    if (seen) delays.push(seen.at - (start + (step - 1) * stepMs));
  }
  delays.sort((a, b) => a - b);
  return { medianDelay: delays[Math.floor(delays.length / 2)], perSecond: asks.length / (end / 1000) };
}

describe('when to ask for progress (pollSchedule.ts)', () => {
  const phases = (stepMs: number) => Array.from({ length: 10 }, (_, i) => (i / 10) * stepMs + 17);

  it('follows steady steps closely: median under 200 ms after the step, within the request cap', () => {
    for (const stepMs of [1370, 2000, 3100]) {
      for (const start of phases(stepMs)) {
        const { medianDelay, perSecond } = simulate(stepMs, start);
        assert.ok(medianDelay < 200, `${stepMs} ms steps from ${start}: median ${medianDelay.toFixed(0)} ms`);
        assert.ok(perSecond <= MAX_REQUESTS_PER_SECOND, `${perSecond.toFixed(2)} requests per second`);
      }
    }
  });

  it('learns the pace from the steps when the server gives no time left', () => {
    const { medianDelay, perSecond } = simulate(1370, 400, 30, false);
    assert.ok(medianDelay < 200 && perSecond <= MAX_REQUESTS_PER_SECOND, `${medianDelay} ms, ${perSecond}/s`);
  });

  it('never asks faster than the cap when steps are quicker than it', () => {
    for (const stepMs of [137, 500, 700, 900]) {
      for (const start of phases(stepMs)) {
        const { perSecond } = simulate(stepMs, start, 60);
        assert.ok(perSecond <= MAX_REQUESTS_PER_SECOND + 0.05, `${stepMs} ms steps: ${perSecond.toFixed(2)} requests per second`);
      }
    }
  });
});
