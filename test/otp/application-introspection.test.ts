import { describe, expect, it } from 'vitest';
import { Application, CallTimeoutError, Supervisor, type ProcessContext } from '../../src/index.js';
import { captureError, captureRejection, testNode } from '../helpers.js';

const start = (ctx: ProcessContext) => Supervisor.startLink(ctx, []);

describe('Application introspection', () => {
  it('Application.loadedApplications - load order, with dependency names', () => {
    const { node } = testNode();
    const db = { name: 'db', start };
    Application.load({ name: 'web', dependencies: [db, 'cache'], start }, { node });
    Application.load({ name: 'cache', start }, { node });
    expect(Application.loadedApplications({ node })).toEqual([
      { name: 'web', dependencies: ['db', 'cache'] },
      { name: 'db', dependencies: [] },
      { name: 'cache', dependencies: [] },
    ]);
    expect(Application.loadedApplications({ node: testNode().node })).toEqual([]);
  });

  it('Application.getSupervisor - the top process while the application runs (application:get_supervisor)', async () => {
    const { node } = testNode();
    Application.load({ name: 'idle', start }, { node });
    await Application.start({ name: 'web', start: (ctx) => Supervisor.startLink(ctx, [], { name: 'web_sup' }) }, { node });
    expect(Application.getSupervisor('web', { node })).toBe(node.whereis('web_sup'));
    expect(Application.getSupervisor('idle', { node })).toBeUndefined();
    expect(Application.getSupervisor('nope', { node })).toBeUndefined();
    await Application.stop('web', { node });
    expect(Application.getSupervisor('web', { node })).toBeUndefined();
    expect(String(captureError(() => Application.getSupervisor(7 as never, { node })))).toBe('TypeError: Expected `name` to be an application name, got `7` (number)');
  });

  it('Application.whichApplications - a timeout bounds the wait while the controller starts an application; getSupervisor does not wait', async () => {
    const { node } = testNode();
    await Application.start({ name: 'first', start }, { node });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const starting = Application.start(
      {
        name: 'slow',
        start: async (ctx) => {
          await gate;
          return start(ctx);
        },
      },
      { node },
    );
    const error = await captureRejection(Application.whichApplications({ node, timeout: 20 }));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(Application.getSupervisor('first', { node })).toBeDefined();
    release();
    expect(await starting).toEqual(['slow']);
    expect(await Application.whichApplications({ node, timeout: 1000 })).toEqual([
      { name: 'first', type: 'temporary' },
      { name: 'slow', type: 'temporary' },
    ]);
  });
});
