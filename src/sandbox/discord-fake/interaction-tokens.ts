/** `/webhooks/{application}/{token}[/messages/{@original|id}]` */
export const WEBHOOK = /^\/api\/v10\/webhooks\/([^/]+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/;
/** Discord: an interaction token works for 15 minutes after the interaction was created. */
export const INTERACTION_TOKEN_MS = 15 * 60_000;

/**
 * The fake's interaction tokens: when each was created (announced by the test, its gateway
 * callback, or else its first use), and the webhook routes they open, which answer 401 Invalid
 * Webhook Token (50027) once the token is older than 15 minutes, as Discord does.
 */
export class InteractionTokens {
  private readonly born = new Map<string, number>();
  private readonly originals = new Map<string, string>();

  constructor(
    private readonly clock: () => number,
    private readonly snowflake: () => string,
    private readonly applicationId: string,
  ) {}

  created(token: string, at = this.clock()): void {
    this.born.set(token, at);
  }

  bornOf(token: string): number {
    const at = this.born.get(token) ?? this.clock();
    this.born.set(token, at);
    return at;
  }

  private originalOf(token: string): string {
    const id = this.originals.get(token) ?? this.snowflake();
    this.originals.set(token, id);
    return id;
  }

  /** The deferred original, follow-ups and edits by id. */
  webhook(method: string, hook: RegExpExecArray, body: unknown): [number, unknown] {
    if (hook[1] !== this.applicationId) return [404, { message: 'Unknown Webhook', code: 10015 }];
    const token = hook[2] ?? '';
    if (this.clock() - this.bornOf(token) > INTERACTION_TOKEN_MS)
      return [401, { message: 'Invalid Webhook Token', code: 50027 }];
    const id = hook[3] === '@original' ? this.originalOf(token) : hook[3];
    if (id && method === 'PATCH') return [200, { id, ...(body as object) }];
    if (id && method === 'DELETE') return [204, undefined];
    if (!hook[3] && method === 'POST') return [200, { id: this.snowflake(), ...(body as object) }];
    return [405, { message: '405: Method Not Allowed', code: 0 }];
  }
}
