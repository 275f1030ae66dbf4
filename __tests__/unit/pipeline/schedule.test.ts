import { describe, expect, it } from 'vitest';
import { schedule } from '../../../src/pipeline/schedule.js';

/** Jobs that take `ms[name]` of fake time; records the most running at once and the start order. */
function jobs(ms: Record<string, number>, fail: string[] = []) {
  let running = 0;
  let most = 0;
  const started: string[] = [];
  const ended: string[] = [];
  const run = async (name: string): Promise<boolean> => {
    started.push(name);
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, ms[name] ?? 1));
    running -= 1;
    ended.push(name);
    if (fail.includes(name)) throw new Error(`${name} crashed`);
    return true;
  };
  return { run, started, ended, most: () => most };
}

describe('schedule', () => {
  it.each([
    // limit, most at once
    [1, 1],
    [2, 2],
    [8, 4],
  ])('limit %i runs at most %i of four independent jobs at once', async (limit, most) => {
    const j = jobs({ a: 20, b: 20, c: 20, d: 20 });
    await schedule(['a', 'b', 'c', 'd'], j.run, { limit });
    expect(j.most()).toBe(most);
    expect(j.ended.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('limit 1 keeps the given order', async () => {
    const j = jobs({ a: 5, b: 1, c: 3 });
    await schedule(['a', 'b', 'c'], j.run, { limit: 1 });
    expect(j.started).toEqual(['a', 'b', 'c']);
  });

  it('a job waits for the ones it uses; the others start at once', async () => {
    const j = jobs({ base: 30, app: 1, other: 1 });
    await schedule(['app', 'base', 'other'], j.run, { limit: 8, after: new Map([['app', ['base']]]) });
    expect(j.started.slice(0, 2).sort()).toEqual(['base', 'other']);
    expect(j.ended.indexOf('base')).toBeLessThan(j.started.indexOf('app'));
  });

  it('a job that throws (a bug) rejects the whole schedule', async () => {
    const j = jobs({ base: 1, free: 5 }, ['base']);
    await expect(schedule(['base', 'free'], j.run, { limit: 2 })).rejects.toThrow('base crashed');
  });

  it('a failed dependency (false) blocks its dependents and the rest still run', async () => {
    const started: string[] = [];
    const blocked: string[] = [];
    await schedule(
      ['base', 'app', 'free'],
      async (name) => {
        started.push(name);
        return name !== 'base';
      },
      {
        limit: 2,
        after: new Map([['app', ['base']]]),
        onBlocked: (name, dep) => void blocked.push(`${name} <- ${dep}`),
      },
    );
    expect(started.sort()).toEqual(['base', 'free']);
    expect(blocked).toEqual(['app <- base']);
  });

  it('a loop does not hang: its jobs run in the given order', async () => {
    const j = jobs({ a: 1, b: 1 });
    await schedule(['a', 'b'], j.run, {
      limit: 4,
      after: new Map([
        ['a', ['b']],
        ['b', ['a']],
      ]),
    });
    expect(j.started).toEqual(['a', 'b']);
  });
});
