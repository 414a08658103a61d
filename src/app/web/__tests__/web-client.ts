/** A tiny browser for tests: keeps the session cookie, reads the CSRF token, posts forms. */
export class WebClient {
  cookie = '';
  constructor(readonly url: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(`${this.url}${path}`, {
      redirect: 'manual',
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
    });
    this.keep(res);
    return res;
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    const res = await fetch(`${this.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      body: new URLSearchParams(form).toString(),
    });
    this.keep(res);
    return res;
  }

  /** The CSRF token of the page at `path` (the session's). */
  async csrf(path = '/login'): Promise<string> {
    const text = await (await this.get(path)).text();
    return /name="csrf-token" content="([^"]+)"/.exec(text)?.[1] ?? '';
  }

  async login(name: string, password: string): Promise<Response> {
    return this.post('/login', { name, password, _csrf: await this.csrf() });
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      if (pair.startsWith('k3sc_session='))
        this.cookie = /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c) ? '' : pair;
    }
  }
}
