import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { buildReference, defaultBranches, defaultNewFormatBranches } from '@posflow/synth';
import { REPO_ROOT } from './k8s-tools.js';
import { validateAtRuntime, validateFieldNames } from './k8s-models.validator.js';
import { byKind, parseManifests, renderChart } from './rendered-objects.js';

const DEV = join(REPO_ROOT, 'k8s', 'dev');
const SERVICES = ['gateway', 'fetcher', 'combiner', 'importer'] as const;

interface SkaffoldArtifact {
  image: string;
  context?: string;
  docker: { dockerfile: string; buildArgs: { SERVICE: string } };
}
interface SkaffoldConfig {
  apiVersion: string;
  build: { artifacts: SkaffoldArtifact[] };
  deploy: {
    helm: {
      releases: Array<{
        name: string;
        chartPath: string;
        valuesFiles: string[];
        setValueTemplates: Record<string, string>;
      }>;
    };
  };
  portForward: Array<{ resourceType: string; resourceName: string; port: number; localPort: number }>;
  profiles: Array<{ name: string; patches: Array<{ op: string; path: string; value: unknown }> }>;
}

const skaffold = parse(readFileSync(join(REPO_ROOT, 'skaffold.yaml'), 'utf8')) as SkaffoldConfig;
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

describe('k8s/dev', () => {
  const manifests = readdirSync(DEV)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseManifests(readFileSync(join(DEV, f), 'utf8')));

  test('MongoDB 7, RabbitMQ 3.13 with management + prometheus, the upstream simulator, and the Secrets the chart names', () => {
    const images = manifests.flatMap((o) =>
      (
        (o.spec as { template?: { spec: { containers: Array<{ image: string }> } } } | undefined)?.template
          ?.spec.containers ?? []
      ).map((c) => c.image),
    );
    expect(images).toEqual(
      expect.arrayContaining(['mongo:7.0', 'rabbitmq:3.13-management', 'posflow-upstream-sim']),
    );
    const plugins = byKind(manifests, 'ConfigMap').find((c) => c.metadata.name === 'rabbitmq-config') as
      | { data: Record<string, string> }
      | undefined;
    expect(plugins?.data.enabled_plugins).toMatch(/rabbitmq_management.*rabbitmq_prometheus/);
    const values = parse(readFileSync(join(REPO_ROOT, 'helm/posflow/values.yaml'), 'utf8')) as {
      connections: Record<string, { secretName: string; secretKey: string }>;
      apiKeys: { secretName: string; secretKey: string };
      daily: { apiKey: { secretName: string; secretKey: string } };
    };
    const secrets = new Map(
      byKind(manifests, 'Secret').map((s) => [
        s.metadata.name,
        (s as unknown as { stringData: Record<string, string> }).stringData,
      ]),
    );
    for (const ref of [...Object.values(values.connections), values.apiKeys, values.daily.apiKey]) {
      expect(
        secrets.get(ref.secretName)?.[ref.secretKey],
        `${ref.secretName}/${ref.secretKey}`,
      ).toBeDefined();
    }
  });

  test('the simulator generates its data (UPSTREAM_DIR unset) and listens on all interfaces', () => {
    const sim = byKind(manifests, 'Deployment').find((d) => d.metadata.name === 'upstream-sim') as
      | {
          spec: {
            template: {
              spec: { containers: Array<{ args: string[]; env: Array<{ name: string; value: string }> }> };
            };
          };
        }
      | undefined;
    const c = sim?.spec.template.spec.containers[0];
    expect(c?.args).toEqual(['test/dist/upstream-sim/main.js']);
    expect(c?.env.map((e) => e.name)).not.toContain('UPSTREAM_DIR');
    expect(c?.env.find((e) => e.name === 'UPSTREAM_HOST')?.value).toBe('0.0.0.0');
    expect(existsSync(join(REPO_ROOT, 'test/src/upstream-sim/main.ts'))).toBe(true);
  });

  test('every manifest is valid for its Kubernetes schema, field names included', async () => {
    expect(await validateAtRuntime(manifests)).toEqual([]);
    expect(validateFieldNames(manifests)).toEqual([]);
  }, 120_000);

  test('values-reference.yaml is what scripts/k8s-dev-reference.mjs generates from the synth catalogue', () => {
    const file = parse(readFileSync(join(DEV, 'values', 'values-reference.yaml'), 'utf8')) as {
      reference: { files: Record<string, string> };
    };
    const branches = defaultBranches(30);
    expect(file.reference.files, 'stale: run pnpm build && node scripts/k8s-dev-reference.mjs').toEqual(
      buildReference({ branches, newBranches: defaultNewFormatBranches(branches) }),
    );
  });
});

describe('skaffold.yaml', () => {
  test('builds the four services (and the simulator in dev) from the root Dockerfile with SERVICE build args', () => {
    expect(skaffold.apiVersion).toMatch(/^skaffold\/v4beta\d+$/);
    const dev = skaffold.profiles.find((p) => p.name === 'dev');
    const extra = (dev?.patches ?? [])
      .filter((p) => p.path === '/build/artifacts/-')
      .map((p) => p.value as SkaffoldArtifact);
    const artifacts = [...skaffold.build.artifacts, ...extra];
    expect(artifacts.map((a) => a.docker.buildArgs.SERVICE).sort()).toEqual(
      [...SERVICES, 'upstream-sim'].sort(),
    );
    for (const a of artifacts) {
      expect(a.docker.dockerfile).toBe('Dockerfile');
      expect(dockerfile, `Dockerfile handles SERVICE=${a.docker.buildArgs.SERVICE}`).toMatch(
        new RegExp(`\\b${a.docker.buildArgs.SERVICE}\\b[^\\n]*\\)`),
      );
    }
  });

  test('sets every service image in the chart, and only values the chart has', () => {
    const [release] = skaffold.deploy.helm.releases;
    expect(release?.chartPath).toBe('helm/posflow');
    const values = parse(readFileSync(join(REPO_ROOT, 'helm/posflow/values.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    for (const [key, template] of Object.entries(release?.setValueTemplates ?? {})) {
      const path = key.split('.');
      let node: unknown = values;
      for (const part of path) node = (node as Record<string, unknown> | undefined)?.[part];
      expect(node, `${key} exists in values.yaml`).not.toBeUndefined();
      const image = `posflow-${path[0]!}`.replaceAll('-', '_');
      expect(template).toContain(`_${image}}}`);
    }
    expect(Object.keys(release?.setValueTemplates ?? {}).length).toBe(8);
  });

  test('the dev profile deploys k8s/dev and its values files, and port-forwards the gateway Service to 8080', () => {
    const dev = skaffold.profiles.find((p) => p.name === 'dev')!;
    for (const p of dev.patches.filter((x) => x.path.endsWith('/valuesFiles/-')))
      expect(existsSync(join(REPO_ROOT, p.value as string)), p.value as string).toBe(true);
    const manifests = dev.patches.find((p) => p.path === '/manifests')?.value as { rawYaml: string[] };
    expect(manifests.rawYaml).toEqual(['k8s/dev/*.yaml']);
    const gatewayService = byKind(renderChart(), 'Service').find(
      (s) => s.metadata.labels?.['app.kubernetes.io/component'] === 'gateway',
    );
    const forward = skaffold.portForward.find((f) => f.localPort === 8080);
    expect(forward).toMatchObject({
      resourceType: 'service',
      resourceName: gatewayService?.metadata.name,
      port: 80,
    });
  });
});

describe('Dockerfile', () => {
  test('non-root 10001, tini as PID 1, production deps only, no HEALTHCHECK', () => {
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node"\]$/m);
    expect(dockerfile).toMatch(/deploy --prod/);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
  });

  test('the chart starts entry points that exist in the workspace', () => {
    for (const svc of SERVICES)
      expect(existsSync(join(REPO_ROOT, 'services', svc, 'src', 'main.ts')), svc).toBe(true);
    // The daily CronJob's CLI.
    expect(existsSync(join(REPO_ROOT, 'services/gateway/src/cli/main.ts'))).toBe(true);
    const args = byKind(renderChart(), 'Deployment').map(
      (d) =>
        (d.spec as { template: { spec: { containers: Array<{ args: string[] }> } } }).template.spec
          .containers[0]?.args[0],
    );
    expect(args.sort()).toEqual(SERVICES.map((s) => `services/${s}/dist/main.js`).sort());
  });

  test('.dockerignore keeps host builds and dependencies out of the context', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});
