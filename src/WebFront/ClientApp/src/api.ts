import type { Message, UploadedAttachment, MessagePage, MessageVersion, PresenceStatus, Profile, Reaction, SearchPage, Thread, ThreadPage } from "./types";

/** A failed request, with the problem+json detail as the message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The REST API (spec §3) with the session's bearer token. */
export class Api {
  constructor(
    private readonly token: () => string,
    private readonly onUnauthorized: () => void,
  ) {}

  me(): Promise<Profile> {
    return this.request("GET", "/api/chat/users/me/");
  }

  threads(): Promise<ThreadPage> {
    return this.request("GET", "/api/chat/threads/?page_size=100");
  }

  /** Online now, or when the last connection closed (spec §8); 404 for users who share no thread with the caller. */
  presence(userId: number): Promise<PresenceStatus> {
    return this.request("GET", `/api/chat/users/${userId}/presence/`);
  }

  thread(id: number): Promise<Thread> {
    return this.request("GET", `/api/chat/threads/${id}/`);
  }

  /** Pins or unpins for the signed-in user only (spec §7); a 21st pin is a 422. */
  setPinned(id: number, isPinned: boolean): Promise<Thread> {
    return this.request("PUT", `/api/chat/threads/${id}/`, { is_pinned: isPinned });
  }

  createThread(body: { client: number; freelancer: number; job: number | null }): Promise<Thread> {
    return this.request("POST", "/api/chat/threads/", body);
  }

  messages(threadId: number, cursor: { before?: number; after?: number; limit?: number } = {}): Promise<MessagePage> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(cursor)) {
      if (value !== undefined) query.set(key, String(value));
    }
    return this.request("GET", `/api/chat/threads/${threadId}/messages/?${query}`);
  }

  markRead(threadId: number, upToSeq: number): Promise<{ marked: number; unread_count: number }> {
    return this.request("POST", `/api/chat/threads/${threadId}/mark-read/`, { up_to_seq: upToSeq });
  }

  editMessage(id: number, message: string): Promise<Message> {
    return this.request("PUT", `/api/chat/messages/${id}/`, { message });
  }

  deleteMessage(id: number): Promise<void> {
    return this.request("DELETE", `/api/chat/messages/${id}/`);
  }

  /** Every version of a message, oldest first, the current text last (spec §7). */
  history(id: number): Promise<{ results: MessageVersion[] }> {
    return this.request("GET", `/api/chat/messages/${id}/history/`);
  }

  /** Adds (PUT, answers the message's reactions) or removes (DELETE, 204) the caller's reaction. */
  async react(id: number, emoji: string, add: boolean): Promise<Reaction[] | null> {
    const path = `/api/chat/messages/${id}/reactions/${encodeURIComponent(emoji)}/`;
    return add ? this.request<Reaction[]>("PUT", path) : this.request<void>("DELETE", path).then(() => null);
  }

  /** Full-text search over the caller's threads, newest first (spec §8); `before` pages by message id. */
  search(q: string, before?: number): Promise<SearchPage> {
    const query = new URLSearchParams({ q, limit: "20" });
    if (before !== undefined) query.set("before", String(before));
    return this.request("GET", `/api/chat/search/?${query}`);
  }

  createDispute(threadId: number, body: { reason: string; description: string | null }): Promise<Message> {
    return this.request("POST", `/api/chat/threads/${threadId}/create-dispute/`, body);
  }

  initiatePayment(threadId: number, body: { amount: string; currency: string; description: string | null }): Promise<Message> {
    return this.request("POST", `/api/chat/threads/${threadId}/initiate-payment/`, body);
  }

  jobUpdate(threadId: number, body: { status: string; note: string | null }): Promise<Message> {
    return this.request("POST", `/api/chat/threads/${threadId}/job-update/`, body);
  }

  /**
   * Uploads one file (spec §8) with XMLHttpRequest, whose upload events report progress (fetch has none); `abort`
   * cancels it. The promise rejects with an ApiError: the problem's detail, 413 for a file over the limit.
   */
  uploadAttachment(threadId: number, file: File, progress: (fraction: number) => void): { done: Promise<UploadedAttachment>; abort(): void } {
    const xhr = new XMLHttpRequest();
    const done = new Promise<UploadedAttachment>((resolve, reject) => {
      xhr.open("POST", `/api/chat/threads/${threadId}/attachments/`);
      xhr.setRequestHeader("Authorization", `Bearer ${this.token()}`);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) progress(e.loaded / e.total);
      });
      xhr.addEventListener("load", () => {
        if (xhr.status === 201) return resolve(JSON.parse(xhr.responseText) as UploadedAttachment);
        if (xhr.status === 401) this.onUnauthorized();
        reject(new ApiError(xhr.status, problemText(xhr.status, xhr.responseText)));
      });
      xhr.addEventListener("error", () => reject(new ApiError(0, "The upload did not reach the server.")));
      xhr.addEventListener("abort", () => reject(new ApiError(0, "Upload cancelled.")));
      const form = new FormData();
      form.append("file", file, file.name);
      xhr.send(form);
    });
    return { done, abort: () => xhr.abort() };
  }

  /** An attachment's bytes: its url needs the bearer token, which an <img src> or a plain link cannot send. */
  async download(url: string): Promise<Blob> {
    let response: Response;
    try {
      response = await fetch(url, { headers: { Authorization: `Bearer ${this.token()}` } });
    } catch {
      throw new ApiError(0, "The server cannot be reached.");
    }
    if (response.status === 401) this.onUnauthorized();
    if (!response.ok) throw new ApiError(response.status, await problemDetail(response));
    return response.blob();
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token()}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, "The server cannot be reached.");
    }
    if (response.status === 401) this.onUnauthorized();
    if (!response.ok) throw new ApiError(response.status, await problemDetail(response));
    return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
  }
}

/** Mints a token from the Development-only endpoint; 404 means the server is not in Development. */
export async function mintDevToken(body: Record<string, string | number | null>): Promise<string> {
  const response = await fetch("/api/dev/token", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status === 404) throw new ApiError(404, "Dev sign-in is only available when the server runs in Development.");
  if (!response.ok) throw new ApiError(response.status, await problemDetail(response));
  return ((await response.json()) as { token: string }).token;
}

async function problemDetail(response: Response): Promise<string> {
  return problemText(response.status, await response.text().catch(() => ""));
}

function problemText(status: number, body: string): string {
  try {
    const problem = JSON.parse(body) as { detail?: string; title?: string; errors?: Record<string, string[]> };
    const fields = problem.errors ? Object.entries(problem.errors).map(([field, errors]) => `${field}: ${errors.join(", ")}`) : [];
    return [problem.detail ?? problem.title ?? `HTTP ${status}`, ...fields].join(" ");
  } catch {
    return `HTTP ${status}`;
  }
}
