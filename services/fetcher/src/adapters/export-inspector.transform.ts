import type { FileType } from '@posflow/contracts';
import { ExportInspector as BaseInspector } from '@posflow/runtime';
import { checkExportHead } from '../domain/export-headers.js';
import { UpstreamError } from '../domain/upstream-error.js';

/**
 * A download's inspector (runtime `ExportInspector`): the head must be a
 * `type` export's header (not an HTML page or an upstream error text), and
 * the body as long as its Content-Length, else an UpstreamError the fetcher
 * classifies and retries.
 */
export class ExportInspector extends BaseInspector {
  constructor(
    type: FileType,
    expectedBytes: number | undefined,
    onBytes: (n: number) => void = () => undefined,
  ) {
    super({
      checkHead: (head) => {
        const verdict = checkExportHead(type, head);
        return verdict.ok ? null : new UpstreamError('download', verdict.error, verdict.detail);
      },
      expectedBytes,
      truncated: (got, expected) =>
        new UpstreamError('download', 'truncated', `got ${got} of ${expected} bytes`),
      onBytes,
    });
  }
}
