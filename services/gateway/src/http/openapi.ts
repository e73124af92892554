import { z } from 'zod';
import { ApiErrorBody } from '@posflow/contracts';
import type { RouteSpec } from './route-table.js';

type JsonSchema = Record<string, unknown>;

function toSchema(s: z.ZodType): JsonSchema {
  // `input`: what a client sends (defaults optional, coercions as their input type).
  const j = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as JsonSchema;
  delete j.$schema;
  return j;
}

/** Query parameters from an object schema (or a union of them: every property, none required). */
function queryParameters(s: z.ZodType): JsonSchema[] {
  const j = toSchema(s);
  const objects = (j.anyOf as JsonSchema[] | undefined) ?? [j];
  const union = objects.length > 1;
  const out = new Map<string, JsonSchema>();
  for (const o of objects) {
    const required = new Set((o.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((o.properties as Record<string, JsonSchema>) ?? {})) {
      if (out.has(name)) continue;
      out.set(name, { name, in: 'query', required: !union && required.has(name), schema });
    }
  }
  return [...out.values()];
}

const openApiPath = (p: string) => p.replace(/:([A-Za-z_]+)/g, '{$1}');

/** The OpenAPI 3 document, generated from the route table's zod schemas. */
export function buildOpenApi(specs: readonly RouteSpec[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const error = { description: 'error', content: { 'application/json': { schema: toSchema(ApiErrorBody) } } };
  for (const spec of specs) {
    const path = openApiPath(spec.path);
    const pathParams = [...spec.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const op: JsonSchema = {
      summary: spec.summary,
      tags: [spec.tag],
      'x-required-role': spec.role,
      security: [{ bearer: [] }, { apiKey: [] }],
      parameters: [...pathParams, ...(spec.query ? queryParameters(spec.query) : [])],
      responses: {
        [String(spec.status ?? 200)]: {
          description: 'ok',
          content: spec.produces
            ? { [spec.produces]: { schema: { type: 'string' } } }
            : { 'application/json': { schema: spec.response ? toSchema(spec.response) : {} } },
        },
        '400': error,
        '401': error,
        '403': error,
        ...(spec.method === 'post' ? { '429': error } : {}),
      },
    };
    if (spec.body)
      op.requestBody = { required: true, content: { 'application/json': { schema: toSchema(spec.body) } } };
    if (spec.multipart)
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } },
          },
        },
      };
    (paths[path] ??= {})[spec.method] = op;
  }
  return {
    openapi: '3.0.3',
    info,
    servers: [{ url: '/api/v1' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
    paths,
  };
}
