import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { K8sObject } from './rendered-objects.js';

/**
 * Checks rendered objects against the Kubernetes API schemas twice:
 * 1. at run time with the kubernetes-models validators (types, formats,
 *    required fields, enums), and
 * 2. with the TypeScript compiler, by assigning each object as a literal to
 *    its model interface: excess-property checks catch misspelt or misplaced
 *    fields (e.g. `readinesProbe`), which the run-time validators accept.
 */

const PACKAGE_BY_GROUP: Record<string, string> = {
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

/** The model module of an apiVersion/kind, e.g. kubernetes-models/apps/v1/Deployment. */
export function modelModule(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const pkg = PACKAGE_BY_GROUP[group] ?? 'kubernetes-models';
  return `${pkg}/${apiVersion}/${kind}`;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** Run-time validation; returns one message per invalid object. */
export async function validateAtRuntime(objects: readonly K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const o of objects) {
    const spec = modelModule(o.apiVersion, o.kind);
    let Model: ModelClass;
    try {
      const mod = (await import(spec)) as Record<string, ModelClass | undefined>;
      const found = mod[o.kind];
      if (found === undefined) throw new Error(`no export ${o.kind}`);
      Model = found;
    } catch (err) {
      problems.push(`${o.kind}/${o.metadata.name}: no model ${spec} (${String(err)})`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (err) {
      problems.push(`${o.kind}/${o.metadata.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}

/** Type-level validation (excess and missing properties); returns compiler messages. */
export function validateFieldNames(objects: readonly K8sObject[]): string[] {
  // A virtual file inside test/src/k8s so the packages resolve from test/node_modules.
  const virtualFile = fileURLToPath(new URL('./__rendered-objects__.ts', import.meta.url));
  const lines: string[] = [];
  objects.forEach((o, i) => {
    lines.push(`import type { I${o.kind} as T${i} } from '${modelModule(o.apiVersion, o.kind)}';`);
    lines.push(`// ${o.kind}/${o.metadata.name}`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(o)};`);
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) =>
    name === virtualFile
      ? ts.createSourceFile(name, source, lang, true)
      : getSourceFile(name, lang, onError, create);
  host.fileExists = (name) => name === virtualFile || fileExists(name);
  host.readFile = (name) => (name === virtualFile ? source : readFile(name));
  const program = ts.createProgram([virtualFile], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === virtualFile || d.file === undefined)
    .map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file === undefined || d.start === undefined) return msg;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const label = source.split('\n')[line - 1] ?? '';
      return `${label.replace(/^\/\/ /, '')}: ${msg}`;
    });
}
