import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { ApiRole } from '@posflow/contracts';
import type { Logger } from '@posflow/runtime';
import { hasRole, presentedKey, type ApiKeyStore, type Principal } from '../auth/api-keys.js';
import { BranchScope } from '../auth/branch-scope.js';
import type { TokenBuckets } from '../auth/token-bucket.js';
import { ApiError, validationError } from './api-error.js';

/** One endpoint: everything the router, the auth check and the OpenAPI document need. */
export interface RouteSpec<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: 'get' | 'post';
  /** Express path under /api/v1, e.g. `/jobs/:id`. */
  path: string;
  summary: string;
  tag: string;
  role: ApiRole;
  query?: Q;
  body?: B;
  response?: z.ZodType;
  /** Success status of a JSON answer (200 unless said). */
  status?: number;
  /** Non-JSON answer: its media type (text/csv, text/event-stream, …). */
  produces?: string;
  /** multipart/form-data upload (parsed by the handler, not by express.json). */
  multipart?: boolean;
}

export interface RequestContext<Q, B> {
  req: Request;
  res: Response;
  params: Record<string, string>;
  query: Q;
  body: B;
  principal: Principal;
  scope: BranchScope;
  log: Logger;
}

/** Returns the JSON body, or undefined when it wrote the response itself (streams). */
export type RouteHandler<Q, B> = (ctx: RequestContext<Q, B>) => Promise<unknown>;

/**
 * Registers endpoints on a router with authentication, role check, write
 * rate limit and zod validation in front, and keeps their specs for the
 * OpenAPI document, so the document cannot drift from the routes.
 */
export class RouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(
    private readonly router: Router,
    private readonly deps: { keys: ApiKeyStore; buckets: TokenBuckets; logger: Logger; now: () => number },
  ) {}

  add<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
    spec: RouteSpec<Q, B>,
    handler: RouteHandler<z.infer<Q>, z.infer<B>>,
  ): void {
    this.specs.push(spec as unknown as RouteSpec);
    const write = spec.method === 'post';
    this.router[spec.method](spec.path, async (req: Request, res: Response) => {
      res.locals.route = spec.path;
      const principal = this.authenticate(req);
      if (!hasRole(principal, spec.role))
        throw new ApiError(403, 'forbidden', `role ${principal.role} may not ${spec.method.toUpperCase()} ${spec.path} (needs ${spec.role})`);
      if (write) {
        const wait = this.deps.buckets.take(principal.name, this.deps.now());
        if (wait > 0) {
          res.setHeader('Retry-After', String(wait));
          throw new ApiError(429, 'rate_limited', `too many write requests; retry in ${wait} s`);
        }
      }
      const query = spec.query ? parse(spec.query, req.query, 'query') : undefined;
      const body = spec.body ? parse(spec.body, req.body ?? {}, 'body') : undefined;
      const result = await handler({
        req,
        res,
        params: req.params as Record<string, string>,
        query: query as z.infer<Q>,
        body: body as z.infer<B>,
        principal,
        scope: new BranchScope(principal.branches),
        log: this.deps.logger.child({ route: spec.path, key: principal.name }),
      });
      if (result !== undefined && !res.headersSent) res.status(spec.status ?? 200).json(result);
    });
  }

  private authenticate(req: Request): Principal {
    const key = presentedKey(req.headers);
    if (!key) throw new ApiError(401, 'unauthenticated', 'missing API key (Authorization: Bearer <key> or X-API-Key)');
    const p = this.deps.keys.authenticate(key);
    if (!p) throw new ApiError(401, 'unauthenticated', 'unknown API key');
    return p;
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown, where: 'query' | 'body'): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(where, r.error);
  return r.data;
}
