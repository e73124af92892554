// Preloaded into the service processes of the end-to-end bench
// (NODE_OPTIONS=--import=…/ferretdb-index.shim.js) as a stop-gap: FerretDB
// 1.24.1 drops the connection (a Go panic, "slice bounds out of range") when
// one createIndexes command lists two or more indexes that all exist already,
// which is what every service after the first does at start-up through
// runtime's ensureIndexes. Sending them one by one is equivalent on MongoDB
// and survives FerretDB. Delete this file once ensureIndexes does that itself.
import { Collection, type IndexDescription } from 'mongodb';

type CreateIndexes = (this: Collection, specs: IndexDescription[], options?: unknown) => Promise<string[]>;
const original = Collection.prototype.createIndexes as unknown as CreateIndexes;

(Collection.prototype as unknown as { createIndexes: CreateIndexes }).createIndexes = async function (specs, options) {
  if (specs.length <= 1) return original.call(this, specs, options);
  const names: string[] = [];
  for (const spec of specs) names.push(...(await original.call(this, [spec], options)));
  return names;
};
