export type { Logger } from './oci/logger.js';
export { silentLogger } from './oci/logger.js';
