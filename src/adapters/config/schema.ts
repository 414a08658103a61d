import { z } from 'zod';
import { alertsSchema, chatSchema, rbacSchema } from './schema-chat.js';
import { webSchema } from './web-config.js';
import { familyName, httpUrl, nonEmpty, repoPart } from './schema-fields.js';
import {
  agentsSchema,
  githubSchema,
  httpSchema,
  leasesSchema,
  runtimeSchema,
  safetySchema,
  scanSchema,
  schedulesSchema,
} from './schema-sections.js';

/** `{owner, name}` (the earlier tool's form) or the shorthand `owner/name`. */
const repoSchema = z.union([
  z.strictObject({ owner: repoPart, name: repoPart }),
  z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, {
      error: (iss) => `${JSON.stringify(iss.input)} is not "owner/name"`,
    })
    .transform((s) => {
      const [owner = '', name = ''] = s.split('/');
      return { owner, name };
    }),
]);

/** The earlier tool's list `[claude, codex]`, a list of `{name, enabled}`, or a map `{claude: {enabled: true}}`. */
const familiesSchema = z.union([
  z
    .array(z.union([familyName, z.strictObject({ name: familyName, enabled: z.boolean().optional() })]))
    .min(1, { error: 'must list at least one family' })
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((f, i) => {
        const n = typeof f === 'string' ? f : f.name;
        if (seen.has(n))
          ctx.addIssue({ code: 'custom', path: [i], message: `family "${n}" is listed twice` });
        seen.add(n);
      });
    }),
  z
    .record(familyName, z.union([z.boolean(), z.null(), z.strictObject({ enabled: z.boolean().optional() })]))
    .refine((map) => Object.keys(map).length > 0, { error: 'must list at least one family' }),
]);

/** The file as written (snake_case), validated; durations already in ms. Defaults are applied by normalise. */
export const rawConfigSchema = z.strictObject({
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
      error: (iss) =>
        `${JSON.stringify(iss.input)} is not a Kubernetes namespace name (lowercase letters, digits, "-")`,
    })
    .max(63, { error: 'must be at most 63 characters' })
    .optional(),
  max_slots: z
    .number()
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be between 1 and 26' })
    .max(26, { error: 'must be between 1 and 26 (one letter a–z per slot)' })
    .optional(),
  launch_dir: z.string().optional(),
  repos: z
    .array(repoSchema)
    .superRefine((repos, ctx) => {
      const seen = new Map<string, number>();
      repos.forEach((r, i) => {
        const key = `${r.owner}/${r.name}`.toLowerCase();
        const first = seen.get(key);
        if (first === undefined) seen.set(key, i);
        else
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `${r.owner}/${r.name} is listed twice (also at repos[${first}])`,
          });
      });
    })
    .optional(),
  allowed_authors: z.array(nonEmpty).optional(),
  github_url: httpUrl.optional(),
  families: familiesSchema.optional(),
  scan: scanSchema.optional(),
  safety: safetySchema.optional(),
  runtime: runtimeSchema.optional(),
  github: githubSchema.optional(),
  chat: chatSchema.optional(),
  alerts: alertsSchema.optional(),
  rbac: rbacSchema.optional(),
  agents: agentsSchema.optional(),
  schedules: schedulesSchema.optional(),
  data_dir: nonEmpty.optional(),
  http: httpSchema.optional(),
  leases: leasesSchema.optional(),
  web: webSchema.optional(),
});

export type RawConfig = z.output<typeof rawConfigSchema>;
