import { UserError } from '../../src/errors.js';
import { OciError } from '../../src/oci/errors.js';

/** The error `work` throws, which must be of `type`; anything else (or nothing thrown) fails the test. */
export function thrownBy<E extends Error>(type: abstract new (...args: never[]) => E, work: () => unknown): E {
  try {
    work();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}

export const ociErrorFrom = (work: () => unknown): OciError => thrownBy(OciError, work);
export const userErrorFrom = (work: () => unknown): UserError => thrownBy(UserError, work);

/** The error `work`'s promise rejects with, which must be of `type`; anything else (or no rejection) fails the test. */
export async function rejectionOf<E extends Error>(
  type: abstract new (...args: never[]) => E,
  work: () => Promise<unknown>,
): Promise<E> {
  try {
    await work();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}

export const userErrorRejected = (work: () => Promise<unknown>): Promise<UserError> => rejectionOf(UserError, work);
