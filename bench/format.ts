import type { Variant } from './report.js';

/** How the bench writes numbers and tables in Markdown. */

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const millis = (ms: number): string => `${Math.round(ms)} ms`;
export const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
export const mib = (kibibytes: number) => `${Math.round(kibibytes / 1024)} MiB`;
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
export const mbps = (bytes: number, ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
export const yesNo = (met: boolean) => (met ? 'met' : '**missed**');

export const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

export const variantName = (variant: Variant) =>
  Object.keys(variant.inputs).length === 0
    ? 'action.yml defaults'
    : Object.entries(variant.inputs)
        .map(([name, value]) => `${name}: ${value}`)
        .join(', ');
