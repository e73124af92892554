import { parentPort, workerData } from 'node:worker_threads';
import {
  combineFolderGroup,
  type FolderGroupResult,
  type FolderGroupSettings,
} from './combine-folder-group.js';
import type { ExportGroup } from './export-files.grouping.js';

/** combineFolder → worker: combine the group with this index. */
export interface GroupTask {
  index: number;
  group: ExportGroup;
}

/** Worker → combineFolder: one answer per task. */
export type GroupOutcome = { index: number; result: FolderGroupResult } | { index: number; error: unknown };

// A worker thread of `combineFolder`: combines the groups it is sent, several at a time (file I/O overlaps).
const port = parentPort;
if (port === null) throw new Error('combine-folder.worker runs as a worker thread of combineFolder');
const settings = workerData as FolderGroupSettings;
port.on('message', (task: GroupTask) => {
  combineFolderGroup(task.group, settings).then(
    (result) => port.postMessage({ index: task.index, result } satisfies GroupOutcome),
    (error: unknown) => port.postMessage({ index: task.index, error } satisfies GroupOutcome),
  );
});
