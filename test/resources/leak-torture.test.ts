import { describe, expect, it } from 'vitest';
import { torture } from './torture/leak-torture.js';

/** The CI size; `npm run torture -- <processes>` runs it as large as you like. */
const PROCESSES = Number(process.env.BEAMISH_TORTURE_PROCESSES ?? 3000);

describe('leak torture', () => {
  it(`${PROCESSES} processes holding ports, sockets, timers, tables and files, ended every way, leave nothing behind`, async () => {
    const result = await torture({ processes: PROCESSES, wave: 100, seed: 7 });
    console.log(
      `leak torture: ${result.processes} processes in ${result.seconds.toFixed(1)} s; endings ${JSON.stringify(result.endings)}; ` +
        `fds ${result.baseline.fds} → peak ${result.peak.fds} → ${result.after.fds}; children ${result.baseline.children} → peak ${result.peak.children} → ${result.after.children}`,
    );
    for (const ending of Object.values(result.endings)) expect(ending).toBeGreaterThan(0);
    expect(result.peak.children).toBeGreaterThan(result.baseline.children);
    expect(result.after.fds).toBe(result.baseline.fds);
    expect(result.after.children).toBe(result.baseline.children);
    // Handles of the kinds Beamish's resources make must be back to their baseline exactly;
    // timers and file-system requests may come and go with the test runner itself, so those may
    // only be fewer.
    const count = (handles: Readonly<Record<string, number>>, kind: string) => handles[kind] ?? 0;
    for (const kind of ['TCPSocketWrap', 'TCPServerWrap', 'UDPWrap', 'ProcessWrap', 'PipeWrap', 'FileHandle']) {
      expect(count(result.after.handles, kind), kind).toBe(count(result.baseline.handles, kind));
    }
    for (const kind of ['Timeout', 'Immediate', 'FSReqCallback', 'FSReqPromise']) {
      expect(count(result.after.handles, kind), kind).toBeLessThanOrEqual(Math.max(1, count(result.baseline.handles, kind)));
    }
  }, 300_000);
});
