/**
 * `work` over every item, at most `limit` (at least 1) at a time, results in item order. Every item is worked on even
 * when one fails; then the failure of the first failed item is thrown.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`mapLimited: limit must be a whole number ≥ 1, not ${limit}`);
  const settled: PromiseSettledResult<R>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      try {
        settled[index] = { status: 'fulfilled', value: await work(items[index] as T, index) };
      } catch (reason) {
        settled[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return valuesOrFailure(settled);
}

/**
 * Like Promise.all, but waits for every promise to settle, so that no work is still running once a failure is
 * reported: then the first failure is thrown, or what `combine` makes of them all.
 */
export async function settleAll<R>(
  work: readonly Promise<R>[],
  combine: (failures: readonly unknown[]) => unknown = (failures) => failures[0],
): Promise<R[]> {
  return valuesOrFailure(await Promise.allSettled(work), combine);
}

function valuesOrFailure<R>(
  settled: readonly PromiseSettledResult<R>[],
  combine: (failures: readonly unknown[]) => unknown = (failures) => failures[0],
): R[] {
  const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.length > 0) throw combine(failures);
  return settled.map((result) => (result as PromiseFulfilledResult<R>).value);
}
