/** A file uploaded the way Slack's v2 upload works: URL, then the bytes, then complete. */
export interface SlackFakeUpload {
  readonly id: string;
  readonly filename: string;
  readonly title?: string;
  readonly channel?: string;
  readonly thread_ts?: string;
  content: string;
  completed: boolean;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** files.getUploadURLExternal → an upload URL on the fake; its POST keeps the bytes; complete shares it. */
export class SlackFakeFiles {
  readonly uploads: SlackFakeUpload[] = [];
  private seq = 0;

  constructor(private readonly baseUrl: () => string) {}

  getUploadUrl(body: Record<string, unknown>): unknown {
    const filename = str(body['filename']);
    if (filename === '' || !(Number(body['length']) > 0)) return { ok: false, error: 'invalid_arguments' };
    const id = `F0FAKE${++this.seq}`;
    this.uploads.push({ id, filename, content: '', completed: false });
    return { ok: true, upload_url: `${this.baseUrl()}/upload/${id}`, file_id: id };
  }

  receive(id: string, content: string): boolean {
    const u = this.uploads.find((x) => x.id === id);
    if (!u) return false;
    u.content = content;
    return true;
  }

  complete(body: Record<string, unknown>): unknown {
    const raw = body['files'];
    const files = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { id: string; title?: string }[];
    const channel = str(body['channel_id']);
    const thread = str(body['thread_ts']);
    const done: SlackFakeUpload[] = [];
    for (const f of Array.isArray(files) ? files : []) {
      const i = this.uploads.findIndex((x) => x.id === f.id);
      const u = this.uploads[i];
      if (!u || u.completed) return { ok: false, error: 'file_not_found' };
      const next: SlackFakeUpload = {
        ...u,
        completed: true,
        ...(f.title ? { title: f.title } : {}),
        ...(channel ? { channel } : {}),
        ...(thread ? { thread_ts: thread } : {}),
      };
      this.uploads[i] = next;
      done.push(next);
    }
    return { ok: true, files: done.map((f) => ({ id: f.id, title: f.title ?? f.filename })) };
  }
}
