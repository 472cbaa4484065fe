import { mapLimited } from '../../src/concurrency.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapLimited', () => {
  it('returns results in item order, whatever order the work finishes in', async () => {
    const delays = [3, 0, 2, 1];
    const results = await mapLimited(delays, 4, async (delay, index) => {
      for (let i = 0; i < delay; i++) await tick();
      return `${index}:${delay}`;
    });
    expect(results).toEqual(['0:3', '1:0', '2:2', '3:1']);
  });

  it('never has more than `limit` items in flight, and uses all of them', async () => {
    let running = 0;
    let most = 0;
    await mapLimited(
      Array.from({ length: 10 }, (_, i) => i),
      3,
      async () => {
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
      },
    );
    expect(most).toBe(3);
  });

  it('works on every item when one fails, then throws the first failed item’s error', async () => {
    const done: number[] = [];
    const failing = mapLimited([0, 1, 2, 3, 4], 5, async (item) => {
      // Item 3 fails first, item 1 three ticks later: the error thrown is still item 1's.
      await tick();
      if (item === 1) for (let i = 0; i < 3; i++) await tick();
      if (item === 1 || item === 3) throw new Error(`item ${item}`);
      done.push(item);
    });
    await expect(failing).rejects.toThrow('item 1');
    expect(done.sort()).toEqual([0, 2, 4]);
  });

  it('returns an empty list for no items without calling work', async () => {
    let calls = 0;
    await expect(mapLimited([], 4, async () => ++calls)).resolves.toEqual([]);
    expect(calls).toBe(0);
  });

  it('catches work that throws before returning a promise, as it does a rejection', async () => {
    const failing = mapLimited([0, 1], 2, (item) => {
      if (item === 0) throw new Error('thrown synchronously');
      return Promise.resolve(item);
    });
    await expect(failing).rejects.toThrow('thrown synchronously');
  });

  it('refuses a limit under 1, which would leave every item undone', async () => {
    await expect(mapLimited([1], 0, async () => 1)).rejects.toThrow(RangeError);
    await expect(mapLimited([1], Number.NaN, async () => 1)).rejects.toThrow(RangeError);
  });
});
