export {
  combineGroup,
  type CombineOptions,
  type CombineReport,
  type CombineRun,
  type GroupFile,
  type GroupInput,
} from './combine-group.js';
export {
  combineFolder,
  defaultWorkers,
  type CombineFolderOptions,
  type CombineFolderSummary,
} from './combine-folder.js';
export { parseCsvLine, type ParsedLine } from './csv-line.parser.js';
export { parseDecimal, parseMoneyE4 } from './decimal.parser.js';
export { DROPPED_CSV_HEADER } from './dropped-csv.writer.js';
export {
  chooseExportFile,
  chooseExportFiles,
  groupExportFiles,
  parseExportFileName,
  type ExportFileNameParts,
  type ExportGroup,
  type FileCandidate,
} from './export-files.grouping.js';
export {
  buildGroupLookups,
  unwrapExcelText,
  type GroupLookups,
  type LookupFileType,
  type ProductEntry,
} from './group-lookups.builder.js';
export { excelField, needsExcelWrap } from './legacy-field.renderer.js';
export {
  LEGACY_COLUMNS,
  LEGACY_HEADER,
  renderLegacyCsv,
  renderLegacyCsvText,
} from './legacy-csv.renderer.js';
export { daypartOf, hourOf } from './legacy-row.builder.js';
export { countDataRows, readLineBatches, type ByteSource, type LineBatch } from './line.reader.js';
export { LoyaltyLogCache, type LoyaltyLogCacheOptions } from './loyalty-log.cache.js';
export {
  MODIFIER_CLEAN_NAME,
  REFERENCE_FILES,
  cleanKey,
  cleanValue,
  emptyReference,
  referenceFromText,
  type ReferenceData,
  type ReferenceTable,
} from './reference-data.js';
export { loadReference } from './reference.loader.js';
