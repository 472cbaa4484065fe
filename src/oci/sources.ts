import { isOciError, type OciError } from './errors.js';

/**
 * `attempt` with each source in turn until one has what is asked for: a NOT_FOUND moves on to the next source,
 * any other failure ends the search. With every source tried, the last NOT_FOUND is thrown; with none, `nothing()`.
 */
export async function fromFirstSource<S, T>(
  sources: readonly S[],
  attempt: (source: S) => Promise<T>,
  nothing: () => OciError,
): Promise<T> {
  let lastError: unknown;
  for (const source of sources) {
    try {
      return await attempt(source);
    } catch (error) {
      if (!isOciError(error, 'NOT_FOUND')) throw error;
      lastError = error;
    }
  }
  throw lastError ?? nothing();
}
