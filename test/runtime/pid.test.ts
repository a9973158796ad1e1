import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { parsePid, Pid, UnknownNodeError } from '../../src/index.js';
import { captureError, testNode } from '../helpers.js';

describe('pids', () => {
  it("print like Erlang's: <node.number.serial>", () => {
    const { node } = testNode();
    const pid = node.spawn(() => undefined);
    expect(String(pid)).toMatch(new RegExp(`^<${node.identity.index}\\.\\d+\\.0>$`));
    expect(inspect({ pid })).toContain(String(pid));
    expect(JSON.stringify({ pid })).toBe(`{"pid":"${pid}"}`);
    expect(String(node.pid)).toBe(`<${node.identity.index}.0.0>`);
  });

  it('parse back to the live process own pid', async () => {
    const { node } = testNode();
    const pid = node.spawn(async (ctx) => {
      await ctx.receive();
    });
    expect(parsePid(String(pid))).toBe(pid);
    expect(parsePid(` ${pid} `)).toBe(pid);
    expect(parsePid(String(node.pid))).toBe(node.pid);
  });

  it('parse text of a dead process to an equal pid that is not alive', async () => {
    const { node } = testNode();
    const pid = node.spawn(() => undefined);
    await node.awaitExit(pid);
    const parsed = parsePid(String(pid));
    expect(parsed).not.toBe(pid);
    expect(parsed.equals(pid)).toBe(true);
    expect(node.isAlive(parsed)).toBe(false);
  });

  it('carry their node identity; equals tells nodes apart', () => {
    const a = testNode().node;
    const b = testNode().node;
    const pa = a.spawn(() => undefined);
    const pb = b.spawn(() => undefined);
    expect(pa.node).toBe(a.identity);
    expect(pa.node.name).toBe(a.name);
    expect(pa.id).toBe(pb.id);
    expect(pa.equals(pb)).toBe(false);
    expect(String(pa)).not.toBe(String(pb));
  });

  it('parse - bad text is a TypeError, an unknown node an UnknownNodeError', () => {
    for (const text of ['0.1.0', '<0.1>', '<a.b.c>', '', 42]) {
      expect(() => parsePid(text as string)).toThrow(/Expected `text` to be pid text/);
    }
    expect(captureError(() => parsePid('<9999.1.0>'))).toBeInstanceOf(UnknownNodeError);
  });

  it('serial counts up past 2^28 numbers, and round-trips', () => {
    const { node } = testNode();
    const big = new Pid(node.identity, 2 ** 28 * 3 + 5, null);
    expect(String(big)).toBe(`<${node.identity.index}.5.3>`);
    expect(parsePid(String(big)).equals(big)).toBe(true);
  });
});
