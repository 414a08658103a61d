import { z } from 'zod';
import type { CachedPage } from './conditional-pages.js';
import type { LabelEventRow } from './label-applied-by.js';
import type { ListedItem } from './map-snapshots.js';

/**
 * What a GitHubTracker can hand to the next process: ETag pages (issue lists, pull lists,
 * label events), PR head branches and write-access answers. Plain data from GitHub's
 * responses; never a token or a header.
 */
export interface TrackerCache {
  readonly pages: readonly (readonly [string, CachedPage<unknown>])[];
  readonly branches: readonly (readonly [string, readonly (readonly [number, string])[]])[];
  readonly writeAccess: readonly { key: string; value: boolean; expiresAt: number }[];
}

const repoRef = z.object({ owner: z.string().min(1), name: z.string().min(1) });

const listedItem: z.ZodType<ListedItem> = z.object({
  isPull: z.boolean(),
  item: z.object({
    repo: repoRef,
    number: z.number().int().positive(),
    title: z.string(),
    author: z.string(),
    labels: z.array(z.string()),
    state: z.enum(['open', 'closed']),
    createdAt: z.string(),
    updatedAt: z.string(),
    url: z.string(),
  }),
});

const branchRow = z.tuple([z.number().int().positive(), z.string()]);

const eventRow: z.ZodType<LabelEventRow> = z.object({
  event: z.string(),
  actor: z.string().optional(),
  label: z.string().optional(),
}) as z.ZodType<LabelEventRow>;

const pageOf = (item: z.ZodType) =>
  z.object({ etag: z.string().min(1), items: z.array(item), hasNext: z.boolean() });

/** Each kind of page by the prefix of its cache key (see list-work-items and label-applied-by). */
const PAGE_KINDS: readonly (readonly [string, z.ZodType])[] = [
  ['issues:', pageOf(listedItem)],
  ['pulls:', pageOf(branchRow)],
  ['events:', pageOf(eventRow)],
];

const page = z.tuple([z.string(), z.unknown()]).superRefine(([key, value], ctx) => {
  const kind = PAGE_KINDS.find(([prefix]) => key.startsWith(prefix));
  if (!kind) return void ctx.addIssue({ code: 'custom', message: `unknown page key ${key.slice(0, 80)}` });
  const parsed = kind[1].safeParse(value);
  if (!parsed.success) ctx.addIssue({ code: 'custom', message: `page ${key.slice(0, 80)} is malformed` });
});

/** Checks a TrackerCache read back from disk, page contents included. */
export const trackerCacheSchema = z.object({
  pages: z.array(page),
  branches: z.array(z.tuple([z.string(), z.array(branchRow)])),
  writeAccess: z.array(z.object({ key: z.string(), value: z.boolean(), expiresAt: z.number() })),
}) as unknown as z.ZodType<TrackerCache>;
