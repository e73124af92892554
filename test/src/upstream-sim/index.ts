export { startUpstreamSimulator, DEFAULT_BASE_PATH, type UpstreamSimulator, type UpstreamSimulatorOptions } from './upstream-simulator.js';
export { FaultRule, FaultList, FaultMatch, FaultSet, type FaultRuleInput, type FaultDecision } from './faults.js';
export type { RequestRecord, StatsSnapshot } from './request-stats.js';
export { TEXT_ERROR, HTML_ERROR_PAGE } from './error-pages.js';
export { FileIndex, keyOfName } from './file-index.js';
