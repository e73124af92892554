import { LegacyExportQuery, TransactionFilter } from '@posflow/contracts';
import type { PartitionSummary } from '@posflow/dal';
import type { GatewayDeps } from '../deps.js';
import { branchesFor, checkRange } from '../http/access.js';
import { forbiddenBranches, notFound } from '../http/api-error.js';
import type { RouteTable } from '../http/route-table.js';
import { attachment, streamText } from '../http/stream-text.js';
import { TRANSACTION_CSV_HEADER, transactionCsvLine } from '../domain/csv.js';
import { maskLegacyLine, maskPhone } from '../domain/masking.js';

export function registerExportRoutes(t: RouteTable, d: GatewayDeps): void {
  t.add(
    {
      method: 'get',
      path: '/export/legacy',
      summary:
        'The legacy combined CSV (header + each partition in legacy order): one partition (branch, pos, date) or a range (from, to, branch?). Byte-identical to the legacy script for operator/admin keys; viewers get masked phone numbers.',
      tag: 'exports',
      role: 'viewer',
      query: LegacyExportQuery,
      produces: 'text/csv',
    },
    async ({ query, scope, principal, res }) => {
      let partitions: PartitionSummary[];
      let filename: string;
      if ('date' in query) {
        if (!scope.allows(query.branch)) throw forbiddenBranches([query.branch]);
        partitions = await d.partitionViews.inRange({
          from: query.date,
          to: query.date,
          branches: [query.branch],
          pos: [query.pos],
        });
        if (!partitions[0] || partitions[0].generation === 0)
          throw notFound(`loaded partition ${query.branch}_${query.pos}_${query.date}`);
        filename = `${query.branch}_${query.pos}_${query.date}.csv`;
      } else {
        checkRange(query.from, query.to, d.settings.maxRangeDays);
        partitions = await d.partitionViews.inRange(
          { from: query.from, to: query.to, branches: branchesFor(scope, query.branch) },
          500_000,
        );
        filename = `posflow_${query.from}_${query.to}.csv`;
      }
      const mask = principal.role === 'viewer';
      const header = d.legacyHeader;
      const transactions = d.transactions;
      async function* lines(): AsyncGenerator<string> {
        yield `${header}\n`;
        for (const p of partitions)
          for await (const line of transactions.streamLegacy([p])) yield `${mask ? maskLegacyLine(line) : line}\n`;
      }
      return streamText(res, attachment(filename), lines());
    },
  );

  t.add(
    {
      method: 'get',
      path: '/export/transactions.csv',
      summary: 'Loaded item lines as CSV with our typed columns (money exact from E4); same filters as /transactions',
      tag: 'exports',
      role: 'viewer',
      query: TransactionFilter,
      produces: 'text/csv',
    },
    async ({ query, scope, principal, res }) => {
      checkRange(query.from, query.to, d.settings.maxRangeDays);
      const branches = branchesFor(scope, query.branch);
      const partitions = await d.partitionViews.inRange(
        { from: query.from, to: query.to, branches, pos: query.pos },
        500_000,
      );
      const mask = principal.role === 'viewer';
      const transactions = d.transactions;
      async function* lines(): AsyncGenerator<string> {
        yield TRANSACTION_CSV_HEADER;
        for await (const r of transactions.streamRows(partitions, query))
          yield transactionCsvLine(mask && r.phone ? { ...r, phone: maskPhone(r.phone) } : r);
      }
      return streamText(res, attachment(`transactions_${query.from}_${query.to}.csv`), lines());
    },
  );
}
