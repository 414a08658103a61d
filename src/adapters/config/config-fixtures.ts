/** The earlier Go tool's example file, verbatim from its README (seeds/000). */
export const EARLIER_TOOL_EXAMPLE = `namespace: claude-agents # k8s namespace
max_slots: 5 # max concurrent agent pods
launch_dir: C:\\code # base dir for k3sc launch slot directories
repos: # repos to scan for issues
  - owner: abix-
    name: endless
  - owner: abix-
    name: k3sc
allowed_authors: # only these issue authors may dispatch agent jobs
  - abix-
scan:
  min_interval: 2m # fastest scan rate
  max_interval: 1h # backoff cap when idle
  task_ttl: 24h # cleanup completed tasks after this
`;

export const FAKE_GITHUB_TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

export const FAKE_PEM =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n';
