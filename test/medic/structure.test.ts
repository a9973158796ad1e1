import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  Application,
  DynamicSupervisor,
  GenServer,
  NoProcError,
  NotASupervisorError,
  NotStartedError,
  Pid,
  Supervisor,
  Task,
  UnknownApplicationError,
  type BeamishNode,
  type ChildSpec,
  type ProcessContext,
} from '../../src/index.js';
import { applicationGraph, renderTree, supervisionTree, toDot, type SupervisionTreeNode } from '../../src/medic/structure.js';
import { captureRejection, testNode } from '../helpers.js';

const Idle = { name: 'Idle', init: () => ({ state: undefined }) };

function worker(id: string, extra: Partial<ChildSpec> = {}, name?: string): ChildSpec {
  return { id, start: (ctx) => GenServer.startLink(ctx, Idle, undefined, { name }), ...extra };
}

async function childPid(node: BeamishNode, supervisor: Pid | string, id: string): Promise<Pid> {
  const sup = typeof supervisor === 'string' ? node.whereis(supervisor)! : supervisor;
  const pid = (await Supervisor.whichChildren(sup)).find((child) => child.id === id)?.pid;
  if (!(pid instanceof Pid)) throw new Error(`no running child ${id}`);
  return pid;
}

async function dynamicChildren(supervisor: Pid): Promise<Pid[]> {
  return (await DynamicSupervisor.whichChildren(supervisor)).map((child) => child.pid as Pid);
}

/** A tree node as the walk describes it, with the defaults of a running worker. */
function expected(fields: Partial<SupervisionTreeNode> & { pid: Pid | undefined }): SupervisionTreeNode {
  return { id: undefined, name: undefined, label: undefined, type: 'worker', kind: undefined, restart: undefined, state: 'alive', walk: undefined, children: [], omitted: 0, ...fields };
}

/**
 * The application `shop` (depending on `db`, loaded as a spec, and `metrics`, loaded by name):
 * a top supervisor registered as `shop_sup` with a named worker, a DynamicSupervisor with three
 * children, a Task.Supervisor with one task, a nested supervisor holding a worker and a
 * supervisor that the test suspends, a plain GenServer its spec calls a supervisor, and a plain
 * process.
 */
async function startShop(node: BeamishNode) {
  const db = { name: 'db', start: (ctx: ProcessContext) => Supervisor.startLink(ctx, [worker('store', {}, 'store')]) };
  const metrics = { name: 'metrics', start: (ctx: ProcessContext) => Supervisor.startLink(ctx, []) };
  const shop = {
    name: 'shop',
    dependencies: [db, 'metrics'],
    start: (ctx: ProcessContext) =>
      Supervisor.startLink(
        ctx,
        [
          worker('cache', {}, 'cache'),
          { id: 'pool', type: 'supervisor', start: (c) => DynamicSupervisor.startLink(c, { name: 'pool' }) },
          { id: 'jobs', type: 'supervisor', start: (c) => Task.Supervisor.startLink(c) },
          {
            id: 'inner',
            type: 'supervisor',
            start: (c) => Supervisor.startLink(c, [worker('leaf', { restart: 'temporary' }), { id: 'hung', type: 'supervisor', start: (d) => Supervisor.startLink(d, [worker('deep')]) }]),
          },
          worker('fake', { type: 'supervisor' }),
          { id: 'ticker', restart: 'transient', start: (c) => c.spawnLink(async (t) => void (await t.receive(() => false)), { label: 'ticker' }) },
        ],
        { name: 'shop_sup' },
      ),
  };
  Application.load(metrics, { node });
  await Application.start(shop, { node });
  for (let i = 0; i < 3; i++) {
    await DynamicSupervisor.startChild({ name: 'pool', node }, { start: (c) => GenServer.startLink(c, Idle, undefined), restart: 'transient' });
  }
  const jobs = await childPid(node, 'shop_sup', 'jobs');
  await Task.Supervisor.startChild(jobs, async (t) => void (await t.receive(() => false)));
  const inner = await childPid(node, 'shop_sup', 'inner');
  const hung = await childPid(node, inner, 'hung');
  node.suspend(hung);
  const top = node.whereis('shop_sup')!;
  return {
    top,
    cache: node.whereis('cache')!,
    pool: node.whereis('pool')!,
    poolChildren: await dynamicChildren(node.whereis('pool')!),
    jobs,
    task: (await dynamicChildren(jobs))[0]!,
    inner,
    leaf: await childPid(node, inner, 'leaf'),
    hung,
    fake: await childPid(node, top, 'fake'),
    ticker: await childPid(node, top, 'ticker'),
    resume: () => node.resume(hung),
  };
}

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** Whether Graphviz accepts `dot` text; fails with what it said. */
function expectValidDot(dot: string): void {
  const result = spawnSync('dot', ['-Tplain'], { input: dot, encoding: 'utf8' });
  expect(result.error, 'toDot is checked with Graphviz: apt-get install graphviz').toBeUndefined();
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

describe('supervisionTree', () => {
  it('supervisionTree - walks an application: nested, dynamic and Task supervisors, a hung supervisor, a false supervisor', async () => {
    const { node } = testNode();
    const shop = await startShop(node);
    const tree = await supervisionTree('shop', { node, timeout: 50 });
    shop.resume();
    const dynamicChild = (pid: Pid) => expected({ pid, label: 'Idle' });
    expect(tree).toEqual({
      kind: 'supervision_tree',
      node: node.name,
      application: 'shop',
      timeout: 50,
      root: expected({
        pid: shop.top,
        name: 'shop_sup',
        label: 'Supervisor',
        type: 'supervisor',
        kind: 'Supervisor',
        walk: 'listed',
        children: [
          expected({ pid: shop.cache, id: 'cache', name: 'cache', label: 'Idle', restart: 'permanent' }),
          expected({
            pid: shop.pool,
            id: 'pool',
            name: 'pool',
            label: 'DynamicSupervisor',
            type: 'supervisor',
            kind: 'DynamicSupervisor',
            restart: 'permanent',
            walk: 'listed',
            children: shop.poolChildren.map(dynamicChild),
          }),
          expected({
            pid: shop.jobs,
            id: 'jobs',
            label: 'Task.Supervisor',
            type: 'supervisor',
            kind: 'DynamicSupervisor',
            restart: 'permanent',
            walk: 'listed',
            children: [expected({ pid: shop.task, label: 'supervised task' })],
          }),
          expected({
            pid: shop.inner,
            id: 'inner',
            label: 'Supervisor',
            type: 'supervisor',
            kind: 'Supervisor',
            restart: 'permanent',
            walk: 'listed',
            children: [
              expected({ pid: shop.leaf, id: 'leaf', label: 'Idle', restart: 'temporary' }),
              expected({ pid: shop.hung, id: 'hung', label: 'Supervisor', type: 'supervisor', kind: 'Supervisor', restart: 'permanent', walk: 'timeout' }),
            ],
          }),
          expected({ pid: shop.fake, id: 'fake', label: 'Idle', type: 'supervisor', restart: 'permanent', walk: 'not_a_supervisor' }),
          expected({ pid: shop.ticker, id: 'ticker', label: 'ticker', restart: 'transient' }),
        ],
      }),
    });
    // Plain data: it survives JSON (pids as their text).
    expect(JSON.parse(JSON.stringify(tree)).root.children[0].pid).toBe(String(shop.cache));
  });

  it('renderTree - one line per node, box drawing, notes for the hung and the false supervisor', async () => {
    const { node } = testNode();
    const shop = await startShop(node);
    const tree = await supervisionTree('shop', { node, timeout: 50 });
    shop.resume();
    const [p1, p2, p3] = shop.poolChildren;
    expect(renderTree(tree)).toBe(
      [
        `shop (shop_sup) ${shop.top} supervisor [Supervisor]`,
        `├─ cache ${shop.cache} worker permanent [Idle]`,
        `├─ pool ${shop.pool} supervisor permanent [DynamicSupervisor]`,
        `│  ├─ ${p1} worker [Idle]`,
        `│  ├─ ${p2} worker [Idle]`,
        `│  └─ ${p3} worker [Idle]`,
        `├─ jobs ${shop.jobs} supervisor permanent [Task.Supervisor]`,
        `│  └─ ${shop.task} worker [supervised task]`,
        `├─ inner ${shop.inner} supervisor permanent [Supervisor]`,
        `│  ├─ leaf ${shop.leaf} worker temporary [Idle]`,
        `│  └─ hung ${shop.hung} supervisor permanent [Supervisor] — no answer within 50 ms`,
        `├─ fake ${shop.fake} supervisor permanent [Idle] — not a supervisor process`,
        `└─ ticker ${shop.ticker} worker transient`,
      ].join('\n'),
    );
    const narrow = renderTree(tree, { width: 30 }).split('\n');
    const hungLine = `│  └─ hung ${shop.hung} supervisor permanent [Supervisor] — no answer within 50 ms`;
    expect(narrow[10]).toBe(`${Array.from(hungLine).slice(0, 29).join('')}…`);
    expect(narrow.every((line) => Array.from(line).length <= 30)).toBe(true);
  });

  it('toDot - a supervision tree as dot text that Graphviz accepts', async () => {
    const { node } = testNode();
    const shop = await startShop(node);
    const tree = await supervisionTree('shop', { node, timeout: 50, maxChildren: 2 });
    shop.resume();
    const [p1, p2] = shop.poolChildren;
    const dot = toDot(tree);
    expect(dot).toBe(
      [
        'digraph "supervision tree" {',
        '  graph [rankdir=LR];',
        '  node [fontname="monospace", fontsize=10];',
        `  n0 [label="shop (shop_sup)\\n${shop.top}\\nsupervisor\\n[Supervisor]", shape=box];`,
        `  n1 [label="cache\\n${shop.cache}\\nworker permanent\\n[Idle]", shape=ellipse];`,
        '  n0 -> n1;',
        `  n2 [label="pool\\n${shop.pool}\\nsupervisor permanent\\n[DynamicSupervisor]", shape=box];`,
        `  n3 [label="${p1}\\nworker\\n[Idle]", shape=ellipse];`,
        '  n2 -> n3;',
        `  n4 [label="${p2}\\nworker\\n[Idle]", shape=ellipse];`,
        '  n2 -> n4;',
        '  n2_more [label="… 1 more", shape=plaintext];',
        '  n2 -> n2_more [style=dotted];',
        '  n0 -> n2;',
        '  n0_more [label="… 4 more", shape=plaintext];',
        '  n0 -> n0_more [style=dotted];',
        '}',
        '',
      ].join('\n'),
    );
    expectValidDot(dot);
    expectValidDot(toDot(await supervisionTree('shop', { node, timeout: 50 })));
  });

  it('toDot - quotes, backslashes and newlines in ids give valid dot', async () => {
    const { node } = testNode();
    const odd = 'say "hi"\\n\nnext\\';
    const sup = await Supervisor.start([worker(odd), worker('{ x: 1 } -> y;')], { node });
    if (!sup.ok) throw new Error('no start');
    const tree = await supervisionTree(sup.pid, { node });
    const dot = toDot(tree);
    expect(dot).toContain('label="say \\"hi\\"\\\\n\\\\x0anext\\\\\\n');
    expectValidDot(dot);
    expect(renderTree(tree).split('\n')[1]).toMatch(/^├─ say "hi"\\n\\x0anext\\ <\d+\.\d+\.0> worker permanent \[Idle\]$/);
  });

  it('supervisionTree - maxDepth, maxChildren and maxNodes: what is left out is counted', async () => {
    const { node } = testNode();
    const shop = await startShop(node);
    const shallow = await supervisionTree('shop', { node, timeout: 50, maxDepth: 1, maxChildren: 2 });
    const few = await supervisionTree('shop', { node, timeout: 50, maxNodes: 5 });
    const rootOnly = await supervisionTree('shop', { node, timeout: 50, maxDepth: 0 });
    shop.resume();
    expect(renderTree(shallow)).toBe(
      [
        `shop (shop_sup) ${shop.top} supervisor [Supervisor]`,
        `├─ cache ${shop.cache} worker permanent [Idle]`,
        `├─ pool ${shop.pool} supervisor permanent [DynamicSupervisor] — below the depth limit`,
        '│  └─ … 3 more',
        '└─ … 4 more',
      ].join('\n'),
    );
    // Five nodes: the root, then its children in order; the level below gets nothing left.
    expect(few.root.children.map((child) => child.id)).toEqual(['cache', 'pool', 'jobs', 'inner']);
    expect(few.root.omitted).toBe(2);
    expect(few.root.children.map((child) => [child.walk, child.children.length, child.omitted])).toEqual([
      [undefined, 0, 0],
      ['listed', 0, 3],
      ['listed', 0, 1],
      ['listed', 0, 2],
    ]);
    expect(rootOnly.root).toMatchObject({ walk: 'depth_limit', children: [], omitted: 6 });
  });

  it('supervisionTree - children restarting and not running, and a walk from a supervisor pid', async () => {
    const { node } = testNode();
    let failing = false;
    const flaky: ChildSpec = {
      id: 'flaky',
      start: (ctx) => {
        if (failing) throw new Error('cannot start');
        return GenServer.startLink(ctx, Idle, undefined);
      },
    };
    const sup = await Supervisor.start([flaky, worker('stopped')], { node, intensity: 1_000_000, period: 3600, label: 'my supervisor' });
    if (!sup.ok) throw new Error('no start');
    await Supervisor.terminateChild(sup.pid, 'stopped');
    failing = true;
    const first = await childPid(node, sup.pid, 'flaky');
    const down = node.awaitExit(first);
    node.exit(first, 'kill');
    await down;
    const tree = await supervisionTree(sup.pid, { node });
    expect(tree.application).toBeUndefined();
    expect(tree.root).toEqual(
      expected({
        pid: sup.pid,
        label: 'my supervisor',
        type: 'supervisor',
        kind: 'Supervisor',
        walk: 'listed',
        children: [
          expected({ pid: undefined, id: 'flaky', state: 'restarting', restart: 'permanent' }),
          expected({ pid: undefined, id: 'stopped', state: 'not_running', restart: 'permanent' }),
        ],
      }),
    );
    expect(renderTree(tree)).toBe(
      [`${sup.pid} supervisor [my supervisor]`, '├─ flaky restarting worker permanent', '└─ stopped not running worker permanent'].join('\n'),
    );
    const dot = toDot(tree);
    expect(dot).toContain('n1 [label="flaky\\nrestarting\\nworker permanent", shape=ellipse, style=dashed];');
    expectValidDot(dot);
    await Supervisor.stop(sup.pid);
  });

  it('supervisionTree - a supervisor that dies while asked shows as exited', async () => {
    const { node } = testNode();
    const sup = await Supervisor.start([worker('a')], { node });
    if (!sup.ok) throw new Error('no start');
    node.suspend(sup.pid);
    const walking = supervisionTree(sup.pid, { node, timeout: 10_000 });
    await until(() => node.processInfo(sup.pid)!.messageQueueLength === 1);
    node.exit(sup.pid, 'kill');
    const tree = await walking;
    expect(tree.root).toMatchObject({ pid: sup.pid, state: 'alive', walk: 'exited', children: [] });
  });

  it('supervisionTree - bad input: unknown or stopped application, a pid that is no supervisor or not alive, bad options', async () => {
    const { node } = testNode();
    const server = await GenServer.start(Idle, undefined, { node, label: 'Supervisor' });
    if (!server.ok) throw new Error('no start');
    Application.load({ name: 'idle_app', start: (ctx) => Supervisor.startLink(ctx, []) }, { node });
    const unknown = await captureRejection(supervisionTree('nope', { node }));
    expect(unknown).toBeInstanceOf(UnknownApplicationError);
    expect(unknown).toMatchObject({ code: 'not_loaded', application: 'nope' });
    expect(await captureRejection(supervisionTree('idle_app', { node }))).toBeInstanceOf(NotStartedError);
    // A GenServer labelled 'Supervisor' is still no supervisor, and is sent nothing.
    const before = node.processInfo(server.pid)!.messagesIn;
    const notSupervisor = await captureRejection(supervisionTree(server.pid, { node }));
    expect(notSupervisor).toBeInstanceOf(NotASupervisorError);
    expect(notSupervisor).toMatchObject({ code: 'not_a_supervisor', server: server.pid });
    expect(node.processInfo(server.pid)!.messagesIn).toBe(before);
    await GenServer.stop(server.pid);
    expect(await captureRejection(supervisionTree(server.pid, { node }))).toBeInstanceOf(NoProcError);
    expect(String(await captureRejection(supervisionTree(42 as never, { node })))).toBe(
      'TypeError: Expected `root` to be an application name or a supervisor Pid, got `42` (number)',
    );
    expect(String(await captureRejection(supervisionTree('idle_app', { node, maxDepth: -1 })))).toBe(
      'TypeError: Expected `options.maxDepth` to be a whole number from 0 up, got `-1` (number)',
    );
    expect(String(await captureRejection(supervisionTree('idle_app', { node, timeout: Infinity })))).toBe(
      'TypeError: Expected `options.timeout` to be a whole number of milliseconds from 0 to 2147483647, got `Infinity` (number)',
    );
    expect(await captureRejection(supervisionTree('idle_app', { node: {} as never }))).toBeInstanceOf(TypeError);
    expect(await captureRejection(supervisionTree('idle_app', { node, signal: 'stop' as never }))).toBeInstanceOf(TypeError);
    expect(() => renderTree({} as never)).toThrow(TypeError);
    expect(() => toDot(undefined as never)).toThrow(TypeError);
  });

  it('supervisionTree - an aborted signal rejects with its reason, before or during the walk', async () => {
    const { node } = testNode();
    const sup = await Supervisor.start([], { node });
    if (!sup.ok) throw new Error('no start');
    const reason = new Error('operator left');
    expect(await captureRejection(supervisionTree(sup.pid, { node, signal: AbortSignal.abort(reason) }))).toBe(reason);
    node.suspend(sup.pid);
    const controller = new AbortController();
    const walking = supervisionTree(sup.pid, { node, timeout: 60_000, signal: controller.signal });
    controller.abort(reason);
    expect(await captureRejection(walking)).toBe(reason);
    node.resume(sup.pid);
  });
});

describe('applicationGraph', () => {
  it('applicationGraph - running and loaded applications, dependency edges, start types, missing dependencies', async () => {
    const { node } = testNode();
    const shop = await startShop(node);
    shop.resume();
    Application.load({ name: 'tools', dependencies: ['shop', 'profiler'], start: (ctx) => Supervisor.startLink(ctx, []) }, { node });
    const graph = await applicationGraph({ node });
    const db = Application.getSupervisor('db', { node })!;
    const metrics = Application.getSupervisor('metrics', { node })!;
    expect(graph).toEqual({
      kind: 'application_graph',
      node: node.name,
      applications: [
        { name: 'metrics', state: 'running', startType: 'temporary', supervisor: metrics, dependencies: [] },
        { name: 'shop', state: 'running', startType: 'temporary', supervisor: shop.top, dependencies: ['db', 'metrics'] },
        { name: 'db', state: 'running', startType: 'temporary', supervisor: db, dependencies: [] },
        { name: 'tools', state: 'loaded', startType: undefined, supervisor: undefined, dependencies: ['shop', 'profiler'] },
        { name: 'profiler', state: 'not_loaded', startType: undefined, supervisor: undefined, dependencies: [] },
      ],
      edges: [
        { from: 'shop', to: 'db' },
        { from: 'shop', to: 'metrics' },
        { from: 'tools', to: 'shop' },
        { from: 'tools', to: 'profiler' },
      ],
      controller: 'answered',
    });
    expect(renderTree(graph)).toBe(
      [
        `applications on ${node.name}`,
        '└─ tools loaded',
        `   ├─ shop running temporary ${shop.top}`,
        `   │  ├─ db running temporary ${db}`,
        `   │  └─ metrics running temporary ${metrics}`,
        '   └─ profiler not loaded',
      ].join('\n'),
    );
    const dot = toDot(graph);
    expect(dot).toBe(
      [
        'digraph applications {',
        `  graph [label="applications on ${node.name}", labelloc=t];`,
        '  node [shape=box, fontname="monospace", fontsize=10];',
        `  a0 [label="metrics\\nrunning temporary\\n${metrics}"];`,
        `  a1 [label="shop\\nrunning temporary\\n${shop.top}"];`,
        `  a2 [label="db\\nrunning temporary\\n${db}"];`,
        '  a3 [label="tools\\nloaded", style=dashed];',
        '  a4 [label="profiler\\nnot loaded", style=dotted, color=gray];',
        '  a1 -> a2;',
        '  a1 -> a0;',
        '  a3 -> a1;',
        '  a3 -> a4;',
        '}',
        '',
      ].join('\n'),
    );
    expectValidDot(dot);
  });

  it('renderTree - an application met twice, and a dependency cycle among loaded specs', async () => {
    const { node } = testNode();
    const start = (ctx: ProcessContext) => Supervisor.startLink(ctx, []);
    Application.load({ name: 'web', dependencies: ['db', 'cache'], start }, { node });
    Application.load({ name: 'cache', dependencies: ['db'], start }, { node });
    Application.load({ name: 'db', start }, { node });
    Application.load({ name: 'a', dependencies: ['b'], start }, { node });
    Application.load({ name: 'b', dependencies: ['a'], start }, { node });
    const graph = await applicationGraph({ node });
    expect(renderTree(graph)).toBe(
      [
        `applications on ${node.name}`,
        '├─ web loaded',
        '│  ├─ db loaded',
        '│  └─ cache loaded',
        '│     └─ db (see above)',
        '└─ a loaded',
        '   └─ b loaded',
        '      └─ a (see above)',
      ].join('\n'),
    );
    expectValidDot(toDot(graph));
  });

  it('applicationGraph - a controller busy starting an application does not hold it up', async () => {
    const { node } = testNode();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await Application.start({ name: 'first', start: (ctx) => Supervisor.startLink(ctx, []) }, { node });
    const starting = Application.start(
      {
        name: 'slow',
        start: async (ctx) => {
          await gate;
          return Supervisor.startLink(ctx, []);
        },
      },
      { node },
    );
    const graph = await applicationGraph({ node, timeout: 20 });
    release();
    await starting;
    expect(graph.controller).toBe('timeout');
    expect(graph.applications).toEqual([
      { name: 'first', state: 'running', startType: undefined, supervisor: Application.getSupervisor('first', { node }), dependencies: [] },
      { name: 'slow', state: 'loaded', startType: undefined, supervisor: undefined, dependencies: [] },
    ]);
    expect(renderTree(graph).split('\n')[0]).toBe(`applications on ${node.name} (the application controller did not answer: start types unknown)`);
    expectValidDot(toDot(graph));
  });

  it('applicationGraph - a node without applications, and bad options', async () => {
    const { node } = testNode();
    expect(await applicationGraph({ node })).toEqual({ kind: 'application_graph', node: node.name, applications: [], edges: [], controller: 'answered' });
    expect(renderTree(await applicationGraph({ node }))).toBe(`applications on ${node.name}`);
    expect(await captureRejection(applicationGraph({ node, timeout: -1 }))).toBeInstanceOf(TypeError);
    const reason = new Error('stop');
    expect(await captureRejection(applicationGraph({ node, signal: AbortSignal.abort(reason) }))).toBe(reason);
  });
});
