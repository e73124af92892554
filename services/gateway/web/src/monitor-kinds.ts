/**
 * Monitor kinds for the filter. Mirrors MONITOR_KINDS of @posflow/contracts
 * (the browser build imports types only); `satisfies` makes the compiler
 * flag any drift.
 */
import type { MonitorKind } from '@posflow/contracts';

const ALL = {
  'upstream-error': true,
  'missing-file-type': true,
  'dropped-rows': true,
  'file-rejected': true,
  'partition-failed': true,
  'unrecognised-file': true,
  'source-changed': true,
} as const satisfies Record<MonitorKind, true>;

export const MONITOR_KINDS = Object.keys(ALL) as MonitorKind[];
