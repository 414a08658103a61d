/** How k3sc shapes agent Jobs: the Kubernetes half of `runtime.kubernetes` (defaults filled). */
export interface JobSettings {
  readonly namespace: string;
  /** The agent image, unless the family names its own (`agents.<family>.image`). */
  readonly image: string;
  readonly imageOf?: (family: string) => string | undefined;
  readonly imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  readonly serviceAccountName: string;
  readonly runtimeClassName?: string;
  readonly ttlSecondsAfterFinished: number;
  readonly resources: {
    readonly requests: Readonly<Record<string, string>>;
    readonly limits: Readonly<Record<string, string>>;
  };
  /** The shared PersistentVolumeClaim holding every slot's workspace (subPath = slot). */
  readonly workspaceClaim: string;
  /** The image's non-root user; the agent image is built with this UID/GID. */
  readonly uid: number;
  readonly gid: number;
  /** The runner's argv inside the image; `--spec-env K3SC_RUNNER_SPEC` is appended. */
  readonly runnerCommand: readonly string[];
  /** The Secret whose keys become the agent's environment: one per family, never another's. */
  readonly secretOf: (family: string) => string;
}

export const DEFAULT_JOB_SETTINGS: JobSettings = {
  namespace: 'k3sc',
  image: 'k3sc-agent:latest',
  imagePullPolicy: 'IfNotPresent',
  serviceAccountName: 'k3sc-agent',
  ttlSecondsAfterFinished: 86_400,
  resources: {
    requests: { cpu: '500m', memory: '1Gi' },
    limits: { cpu: '2', memory: '4Gi' },
  },
  workspaceClaim: 'k3sc-workspaces',
  uid: 1000,
  gid: 1000,
  runnerCommand: ['node', '/opt/k3sc/dist/runner/main.js'],
  secretOf: (family) => `k3sc-agent-${family}`,
};

/** Where things live inside the agent container. */
export const PATHS = {
  workspace: '/workspace',
  home: '/home/agent',
  tmp: '/tmp',
  /** The farm's shared build caches: one folder (`.cache`) of the workspace volume, mounted in every slot. */
  cache: '/cache',
} as const;

/** The workspace volume's folder that holds the shared caches (no slot is named like it: slots start with a letter). */
export const CACHE_SUBPATH = '.cache';

/**
 * Where the tools agents run keep their caches, all on the shared cache volume, and the lock
 * `k3sc-build-lock` takes by default (docs/kubernetes.md, "Build caches").
 */
export const CACHE_ENV: Readonly<Record<string, string>> = {
  K3SC_CACHE_DIR: PATHS.cache,
  K3SC_BUILD_LOCK: `${PATHS.cache}/build.lock`,
  CARGO_HOME: `${PATHS.cache}/cargo`,
  npm_config_cache: `${PATHS.cache}/npm`,
  PIP_CACHE_DIR: `${PATHS.cache}/pip`,
  GOMODCACHE: `${PATHS.cache}/go/mod`,
  GOCACHE: `${PATHS.cache}/go/build`,
};

/** The variable that carries the runner spec (JSON) into the container. */
export const SPEC_ENV = 'K3SC_RUNNER_SPEC';
