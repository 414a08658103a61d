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
} as const;

/** The variable that carries the runner spec (JSON) into the container. */
export const SPEC_ENV = 'K3SC_RUNNER_SPEC';
