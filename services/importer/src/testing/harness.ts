import type { Db } from 'mongodb';
import type { ImportRequestedV1 } from '@posflow/contracts';
import {
  createLogger,
  createRegistry,
  outcomeForError,
  type HandlerContext,
  type Outcome,
} from '@posflow/runtime';
import { createImporterService } from '../importer.service.js';

/**
 * Runs the importer's handler in-process the way the consumer does (a thrown
 * error becomes its outcome; a dead outcome runs the dead-letter hook), for
 * tests and benchmarks that need no broker.
 */
export function inProcessImporter(db: Db, batchSize: number) {
  const logger = createLogger('importer-test', 'silent');
  const service = createImporterService({ db, registry: createRegistry('importer-test'), logger, batchSize });
  const ctx = (): HandlerContext => ({
    attempt: 0,
    redelivered: false,
    logger,
    signal: new AbortController().signal,
  });
  return {
    service,
    async run(message: ImportRequestedV1): Promise<Outcome> {
      let outcome: Outcome;
      try {
        outcome = await service.handler(message, ctx());
      } catch (err) {
        outcome = outcomeForError(err);
      }
      if (outcome.action === 'dead') await service.onDeadLetter('import', message, outcome.reason);
      return outcome;
    },
  };
}
