import type { FakeRequest } from './http-types.js';

export interface Page<T> {
  readonly items: T[];
  /** The `Link` header value, absent when everything fits on one page. */
  readonly link?: string;
}

const intParam = (raw: string | null, fallback: number): number => {
  const n = raw === null ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Slices `all` by `page`/`per_page` (default 30, capped) and builds GitHub's Link header. */
export const paginate = <T>(all: readonly T[], req: FakeRequest, perPageMax: number): Page<T> => {
  const perPage = Math.min(intParam(req.query.get('per_page'), 30), perPageMax);
  const page = intParam(req.query.get('page'), 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  const urlFor = (p: number): string => {
    const q = new URLSearchParams(req.query);
    q.set('per_page', String(perPage));
    q.set('page', String(p));
    return `<${req.origin}${req.pathname}?${q.toString()}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${urlFor(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) rels.push(`${urlFor(page + 1)}; rel="next"`, `${urlFor(last)}; rel="last"`);
  if (page > 1) rels.push(`${urlFor(1)}; rel="first"`);
  return rels.length > 0 ? { items, link: rels.join(', ') } : { items };
};
