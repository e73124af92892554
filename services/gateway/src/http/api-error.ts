import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import type { Logger } from '@posflow/runtime';

/** An error the API reports as `{error: {code, message, details}}` with `status`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new ApiError(400, 'bad_request', message, details);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const forbiddenBranches = (branches: readonly string[]) =>
  new ApiError(403, 'branch_forbidden', `this key may not access branch ${branches.join(', ')}`, {
    branches,
  });

/** Turns zod issues into one readable sentence plus structured details. */
export function validationError(where: 'query' | 'body' | 'path', error: z.ZodError): ApiError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const message = issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
  return new ApiError(400, `invalid_${where}`, `invalid ${where}: ${message}`, issues);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let e: ApiError;
    if (err instanceof ApiError) e = err;
    else if (isBodyParserError(err)) e = new ApiError(err.status, 'invalid_body', `invalid body: ${err.message}`);
    else {
      logger.error({ err, method: req.method, path: req.path }, 'request failed');
      e = new ApiError(500, 'internal', 'internal error');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(e.status).json({ error: { code: e.code, message: e.message, details: e.details } });
  };
}

function isBodyParserError(err: unknown): err is { status: number; message: string } {
  const s = (err as { status?: unknown; type?: unknown } | null)?.status;
  return typeof s === 'number' && s >= 400 && s < 500 && typeof (err as { type?: unknown }).type === 'string';
}
