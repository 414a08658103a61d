import type { RouteHandler } from './http-types.js';

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: RouteHandler;
}

export interface RouteMatch {
  /** `METHOD /template`, the key used by the counters. */
  readonly key: string;
  readonly params: Record<string, string>;
  readonly handler: RouteHandler;
}

/** A tiny method + path-template router (`/repos/{owner}/{repo}/issues/{number}`). */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: RouteHandler): this {
    const keys: string[] = [];
    const source = template.replace(/\{(\w+)\}/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, template, pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { key: `${method} ${route.template}`, params, handler: route.handler };
    }
    return undefined;
  }
}
