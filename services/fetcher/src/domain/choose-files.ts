import { chooseExportFiles } from '@posflow/combine';
import { FILE_TYPES, type FileType } from '@posflow/contracts';

export interface Candidate {
  type: FileType;
  dataRows: number;
  sendTime: string;
  name: string;
}

/**
 * One file per type among re-sent duplicates: the combine engine's own rule
 * (`chooseExportFiles`: most data rows, ties to the later `HH-MM` send time,
 * then the name), so the files the fetcher marks chosen are the ones the
 * combiner combines. spec/legacy-combine.md "File names and grouping".
 */
export function chooseFiles<C extends Candidate>(candidates: readonly C[]): Map<FileType, C> {
  return chooseExportFiles(candidates);
}

export function missingTypes(chosen: ReadonlyMap<FileType, unknown>): FileType[] {
  return FILE_TYPES.filter((t) => !chosen.has(t));
}
