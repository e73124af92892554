// Integration and end-to-end tiers need the real broker and database: bring up
// whatever is not running (PostgreSQL, RabbitMQ + management, FerretDB) and
// stop, at the end, only what this run started.
import { ensureInfra, down } from '../../../scripts/stack.mjs';

let startedNow = false;

export default async function setup(): Promise<() => Promise<void>> {
  const res = await ensureInfra();
  startedNow = res.startedNow;
  return async () => {
    if (startedNow && process.env.POSFLOW_KEEP_INFRA !== '1') await down();
  };
}
