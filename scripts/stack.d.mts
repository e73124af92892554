// Types for the plain-ESM stack script (scripts/stack.mjs), for the tests that drive it.
export declare const ROOT: string;
export declare const STATE_DIR: string;
export declare const INFRA: Readonly<{ amqpUrl: string; managementUrl: string; mongoUrl: string; postgresUrl: string }>;
export declare function portOpen(port: number, host?: string, timeoutMs?: number): Promise<boolean>;
export declare function waitFor(what: string, fn: () => Promise<boolean> | boolean, timeoutMs?: number, everyMs?: number): Promise<void>;
export declare function ensureInfra(): Promise<typeof INFRA & { startedNow: boolean }>;
export declare function down(): Promise<void>;
export declare function stopPid(pid: number, name: string, graceMs?: number): Promise<void>;
export declare function spawnDetached(name: string, cmd: string, args: string[], env?: Record<string, string>, cwd?: string): number | undefined;
