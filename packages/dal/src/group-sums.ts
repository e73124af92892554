import type { Collection, Document } from 'mongodb';

/**
 * `$match` + `$group` with several `$sum`s, run as one aggregation per summed
 * field and merged by group key. FerretDB 1.24 computes only the FIRST `$sum`
 * accumulator of a `$group` (the others come back 0), so a single
 * multi-accumulator `$group` gives wrong totals on the local stack; one
 * accumulator per pipeline is correct on both FerretDB and MongoDB.
 */
export async function groupSums<K extends string>(
  col: Collection<Document>,
  match: Document,
  groupBy: string | null,
  fields: readonly K[],
): Promise<Map<string, Record<K, number>>> {
  const out = new Map<string, Record<K, number>>();
  const results = await Promise.all(
    fields.map((f) =>
      col
        .aggregate<{
          _id: string | number | null;
          v: number;
        }>([{ $match: match }, { $group: { _id: groupBy ? `$${groupBy}` : null, v: { $sum: `$${f}` } } }])
        .toArray(),
    ),
  );
  results.forEach((rows, i) => {
    const f = fields[i] as K;
    for (const r of rows) {
      const key = r._id === null || r._id === undefined ? '' : String(r._id);
      let rec = out.get(key);
      if (!rec) {
        rec = Object.fromEntries(fields.map((x) => [x, 0])) as Record<K, number>;
        out.set(key, rec);
      }
      rec[f] += r.v;
    }
  });
  return out;
}
