import type { Backend } from './backend.js';
import { buildahBackend } from './buildah.js';
import { buildxBackend } from './buildx.js';
import { noBuildBackend } from './none.js';

/** Every backend `builder` may name, the default first. */
export const backends: readonly Backend[] = [buildxBackend, buildahBackend, noBuildBackend];
