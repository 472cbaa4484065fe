import { UserError } from '../../errors.js';
import type { Backend } from './backend.js';

/** Builds nothing: the image was pushed by another step (docker/build-push-action, a script), by digest. */
export const noBuildBackend: Backend = ({ inputs }) => {
  if (inputs.digest === undefined) {
    return Promise.reject(
      new UserError('digest', 'is required with builder: none.', "Pass the pushing step's digest."),
    );
  }
  return Promise.resolve(inputs.digest);
};
