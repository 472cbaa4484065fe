import type { Backend } from './backend.js';

/** Builds nothing: the image was pushed by another step (docker/build-push-action, a script), by digest. */
export const noBuildBackend: Backend = ({ inputs }) =>
  inputs.digest === undefined
    ? Promise.reject(new Error('builder none without a digest: parseBuildInputs lets none through'))
    : Promise.resolve(inputs.digest);
