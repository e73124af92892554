import { exportHeaderProblem, type FileType } from '@posflow/contracts';
import { ExportInspector } from '@posflow/runtime';

export class UploadRejected extends Error {
  override name = 'UploadRejected';
}

/**
 * An uploaded part's inspector (runtime `ExportInspector`, the one downloads
 * go through too): the header line must be the export type its name claims;
 * data rows are counted the same way, to choose among duplicates.
 */
export class UploadInspector extends ExportInspector {
  constructor(type: FileType) {
    super({
      checkHead: (head) => {
        const problem = exportHeaderProblem(type, head.split('\n', 1)[0] ?? '');
        return problem ? new UploadRejected(problem) : null;
      },
    });
  }
}
