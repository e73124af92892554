// The name rule moved to @posflow/contracts (export-files.ts): the gateway's uploads parse names too.
export { parseExportFileName, type ExportFileName } from '@posflow/contracts';

/** The file name of a listed path: its last `/` segment (entries may carry a directory part). */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).trim();
}
