/** Rows of each dashboard table on one page: small enough for per-row buttons within Discord's 25. */
export const DASHBOARD_PAGE_ROWS = { running: 5, queue: 10, pulls: 5 } as const;

export interface PageSlice<T> {
  readonly rows: readonly T[];
  /** `6–10 of 26`, or undefined when everything fits on one page. */
  readonly range?: string;
}

export interface DashboardPage {
  /** 1-based, clamped to [1, pages]. */
  readonly page: number;
  readonly pages: number;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Which page of the dashboard to show, given the table lengths and the page asked for. */
export const dashboardPage = (
  lengths: { running: number; queue: number; pulls: number },
  asked = 1,
): DashboardPage => {
  const pages = Math.max(
    1,
    Math.ceil(lengths.running / DASHBOARD_PAGE_ROWS.running),
    Math.ceil(lengths.queue / DASHBOARD_PAGE_ROWS.queue),
    Math.ceil(lengths.pulls / DASHBOARD_PAGE_ROWS.pulls),
  );
  const page = Math.min(Math.max(1, Math.floor(asked)), pages);
  return { page, pages };
};

/** The rows of one table on `page`, with the range shown in its title when the table is longer. */
export const sliceRows = <T>(rows: readonly T[], perPage: number, page: number): PageSlice<T> => {
  if (rows.length <= perPage) return { rows };
  const start = (page - 1) * perPage;
  const shown = rows.slice(start, start + perPage);
  return {
    rows: shown,
    range:
      shown.length === 0
        ? `none on this page; ${fmt(rows.length)} in all`
        : `${fmt(start + 1)}–${fmt(start + shown.length)} of ${fmt(rows.length)}`,
  };
};

/** Previous / next buttons; the page is part of the command (`top --page 3`). */
export const pageButtons = (p: DashboardPage): { id: string; label: string; command: string }[] => [
  ...(p.page > 1
    ? [{ id: 'page-prev', label: `◀ Page ${p.page - 1}`, command: `top --page ${p.page - 1}` }]
    : []),
  ...(p.page < p.pages
    ? [
        {
          id: 'page-next',
          label: `Page ${p.page + 1} of ${fmt(p.pages)} ▶`,
          command: `top --page ${p.page + 1}`,
        },
      ]
    : []),
];
