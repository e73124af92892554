import { FileType, PartitionKey, type FileType as FileTypeT } from '@posflow/contracts';

export interface ExportFileName {
  name: string;
  branch: string;
  pos: number;
  type: FileTypeT;
  date: string;
  /** `HH-MM` send time, '' when the name has none. */
  sendTime: string;
}

/**
 * `<prefix>_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv` (spec/legacy-combine.md
 * "File names and grouping"). Returns null for names that do not follow it.
 * Kept here until @posflow/combine exports `parseExportFileName`; the rule is
 * the spec's, so both agree.
 */
export function parseExportFileName(name: string): ExportFileName | null {
  const parts = name.replace(/\.csv$/i, '').split('_');
  if (parts.length < 5) return null;
  const type = FileType.safeParse(parts[3]);
  const key = PartitionKey.safeParse({ branch: parts[1], pos: parts[2], date: parts[4] });
  if (!type.success || !key.success || !/^\d$/.test(parts[2] ?? '')) return null;
  const sendTime = /^\d{2}-\d{2}$/.test(parts[5] ?? '') ? (parts[5] as string) : '';
  return { name, ...key.data, type: type.data, sendTime };
}

/** The file name of a listed path: its last `/` segment (entries may carry a directory part). */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).trim();
}
