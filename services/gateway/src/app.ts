import { join } from 'node:path';
import express, { type Express } from 'express';
import { TokenBuckets } from './auth/token-bucket.js';
import type { GatewayDeps } from './deps.js';
import { ApiError, errorHandler } from './http/api-error.js';
import { buildOpenApi } from './http/openapi.js';
import { RouteTable } from './http/route-table.js';
import { requestMetrics } from './metrics/gateway-metrics.js';
import { registerExportRoutes } from './routes/exports.routes.js';
import { registerFetchRoutes } from './routes/fetch.routes.js';
import { registerFileRoutes } from './routes/files.routes.js';
import { registerJobRoutes } from './routes/jobs.routes.js';
import { registerMonitorRoutes } from './routes/monitor.routes.js';
import { registerOpsRoutes } from './routes/ops.routes.js';
import { registerPartitionRoutes } from './routes/partitions.routes.js';
import { registerReportRoutes } from './routes/reports.routes.js';
import { registerTransactionRoutes } from './routes/transactions.routes.js';
import { UploadService } from './upload.service.js';

export const API_PREFIX = '/api/v1';

/**
 * The public HTTP app: the API under /api/v1 and the static dashboard at /.
 * /metrics, /healthz and /readyz are deliberately absent (ops port only).
 */
export function createApp(d: GatewayDeps): { app: Express; table: RouteTable } {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestMetrics(d.metrics));

  const api = express.Router();
  api.use(express.json({ limit: '5mb' }));
  const table = new RouteTable(api, {
    keys: d.keys,
    buckets: new TokenBuckets(d.settings.rateLimit),
    logger: d.logger,
    now: () => d.now().getTime(),
  });
  const uploads = new UploadService({ ...d, branches: d.branches });
  registerFetchRoutes(table, d);
  registerJobRoutes(table, d);
  registerPartitionRoutes(table, d);
  registerTransactionRoutes(table, d);
  registerExportRoutes(table, d);
  registerReportRoutes(table, d);
  registerFileRoutes(table, d, uploads);
  registerMonitorRoutes(table, d);
  registerOpsRoutes(table, d);

  // Public: the contract itself holds no data.
  let openapi: unknown;
  api.get('/openapi.json', (_req, res) => {
    res.locals.route = '/openapi.json';
    openapi ??= buildOpenApi(table.specs, { title: 'posflow gateway', version: '1' });
    res.json(openapi);
  });
  api.use((req, _res, next) => next(new ApiError(404, 'not_found', `no route ${req.method} ${API_PREFIX}${req.path}`)));
  app.use(API_PREFIX, api);
  app.use('/api', (req, _res, next) => next(new ApiError(404, 'not_found', `no route ${req.method} /api${req.path}`)));

  // Dashboard: assets cached for an hour; index.html never (it names the current assets).
  const index = join(d.settings.publicDir, 'index.html');
  app.use(
    express.static(d.settings.publicDir, {
      index: false,
      maxAge: '1h',
      setHeaders: (res, path) => {
        if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  // The ops endpoints live on the ops port only; here they are plain 404s, not dashboard routes.
  app.get(['/metrics', '/healthz', '/readyz'], (req, _res, next) => next(new ApiError(404, 'not_found', `${req.path} is served on the ops port only`)));
  // SPA fallback: any other GET is a dashboard route.
  app.get('/{*path}', (_req, res, next) => {
    res.locals.route = 'dashboard';
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, (err) => err && next(new ApiError(404, 'not_found', 'dashboard not built')));
  });
  app.use(errorHandler(d.logger));
  return { app, table };
}
