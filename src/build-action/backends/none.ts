import { buildOptionInputs } from '../types.js';
import type { Backend } from './backend.js';

/** Builds nothing: the image was pushed by another step (docker/build-push-action, a script), by digest. */
export const noBuildBackend: Backend = {
  name: 'none',
  run: ({ inputs }) =>
    inputs.digest === undefined
      ? Promise.reject(new Error('builder none without a digest: parseBuildInputs lets none through'))
      : Promise.resolve(inputs.digest),
  refuses: {
    inputs: buildOptionInputs,
    problem: 'is set, but builder is none, so nothing is built here.',
    fix: (input) => `Remove \`${input}\`, or build here with builder: buildx or buildah.`,
  },
  digest: 'required',
  notPushedFix:
    'Push the image to every repository in `images` before this step, by digest, or list only those it went to.',
};
