import { ApiError, type Api } from "./api";
import { el } from "./dom";
import { formatTime, otherParticipant, threadActivity } from "./format";
import { presenceDot } from "./presence";
import { SearchPanel } from "./searchPanel";
import type { Session } from "./session";
import type { PresenceChanged, Thread, UnreadCount } from "./types";

/**
 * The user's threads, kept live by `thread_updated` and `unread_count`: pinned ones first (newest pin first), then
 * the rest by newest activity (spec §7); a search box above them (spec §8).
 */
export class ThreadListView {
  readonly element: HTMLElement;
  private readonly threads = new Map<number, Thread>();
  private readonly list = el("ul", { class: "thread-list" });
  private readonly status = el("p", { class: "muted", "aria-live": "polite" });
  private readonly pinError = el("p", { class: "form-error pin-error", role: "alert" });
  private readonly browse: HTMLElement;
  /** Pin order: higher = pinned later. The wire has only is_pinned, so the order comes from the server's list. */
  private readonly pinRank = new Map<number, number>();
  private pinCounter = 0;
  private activeId: number | null = null;

  constructor(
    private readonly api: Api,
    private readonly session: Session,
    private readonly open: (threadId: number, seq?: number) => void,
  ) {
    const search = new SearchPanel(api, {
      open: (threadId, seq) => this.open(threadId, seq),
      describe: (threadId) => this.describe(threadId),
      showing: (active) => (this.browse.hidden = active),
    });
    this.browse = el("div", { class: "browse" }, this.newThreadForm(), this.pinError, this.status, this.list);
    this.element = el("nav", { class: "threads", "aria-label": "Threads" }, el("h2", {}, "Threads"), search.element, this.browse);
  }

  async load(): Promise<void> {
    try {
      const page = await this.api.threads();
      this.threads.clear();
      this.pinRank.clear();
      // The server lists pinned threads first, newest pin first: rank them in that order.
      const pinned = page.results.filter((t) => t.is_pinned);
      for (const thread of pinned.reverse()) this.pinRank.set(thread.id, ++this.pinCounter);
      for (const thread of page.results) this.threads.set(thread.id, thread);
      this.render();
    } catch (failure) {
      this.status.textContent = failure instanceof ApiError ? `Threads not loaded: ${failure.message}` : "Threads not loaded.";
    }
  }

  upsert(thread: Thread): void {
    const known = this.threads.get(thread.id);
    // Events may overtake each other: an older rendering of the thread never replaces a newer one.
    if (known && known.last_seq > thread.last_seq) return;
    this.threads.set(thread.id, thread);
    // Pinned elsewhere (another tab): after the pins whose order is known, until the next load.
    if (thread.is_pinned && !this.pinRank.has(thread.id)) this.pinRank.set(thread.id, 0);
    if (!thread.is_pinned) this.pinRank.delete(thread.id);
    this.render();
  }

  setUnread(unread: UnreadCount): void {
    const thread = this.threads.get(unread.thread);
    if (!thread) return;
    thread.unread_count = unread.thread_unread_count;
    this.render();
  }

  /** A `presence` event: the dot of every thread with that user follows it. */
  setPresence(change: PresenceChanged): void {
    let changed = false;
    for (const thread of this.threads.values()) {
      if (otherParticipant(thread, this.session).user.id !== change.user.id || thread.other_online === change.online) continue;
      thread.other_online = change.online;
      changed = true;
    }
    if (changed) this.render();
  }

  setActive(threadId: number | null): void {
    this.activeId = threadId;
    this.render();
  }

  /** "bob.dev · Job #7" for search results; null for a thread not in the list. */
  describe(threadId: number): string | null {
    const thread = this.threads.get(threadId);
    if (!thread) return null;
    return `${otherParticipant(thread, this.session).user.username}${thread.job !== null ? ` · Job #${thread.job}` : ""}`;
  }

  private async togglePin(thread: Thread): Promise<void> {
    const pin = !thread.is_pinned;
    this.pinError.textContent = "";
    try {
      const updated = await this.api.setPinned(thread.id, pin);
      if (pin) this.pinRank.set(thread.id, ++this.pinCounter);
      else this.pinRank.delete(thread.id);
      const known = this.threads.get(thread.id);
      this.threads.set(thread.id, known && known.last_seq > updated.last_seq ? { ...known, is_pinned: updated.is_pinned } : updated);
      this.render();
    } catch (failure) {
      this.pinError.textContent =
        failure instanceof ApiError && failure.status === 422
          ? "You can pin at most 20 threads. Unpin one to pin this one."
          : failure instanceof ApiError
            ? `Not ${pin ? "pinned" : "unpinned"}: ${failure.message}`
            : `Not ${pin ? "pinned" : "unpinned"}.`;
    }
  }

  private render(): void {
    const rank = (t: Thread) => (t.is_pinned ? (this.pinRank.get(t.id) ?? 0) : -1);
    const sorted = [...this.threads.values()].sort(
      (a, b) => rank(b) - rank(a) || threadActivity(b).localeCompare(threadActivity(a)) || b.id - a.id,
    );
    this.status.textContent = sorted.length === 0 ? "No threads yet. Start one with the other user's id." : "";
    this.list.replaceChildren(...sorted.map((t) => this.item(t)));
    const total = sorted.reduce((sum, t) => sum + t.unread_count, 0);
    document.title = total > 0 ? `(${total}) OrleansChat` : "OrleansChat";
  }

  private item(thread: Thread): HTMLLIElement {
    const other = otherParticipant(thread, this.session);
    const preview = thread.last_message === null ? "No messages yet" : thread.last_message.message || "Message deleted";
    const link = el(
      "a",
      { href: `/app/threads/${thread.id}`, "aria-current": thread.id === this.activeId ? "page" : null },
      el(
        "span",
        { class: "thread-top" },
        presenceDot(thread.other_online === true, other.user.username),
        el("strong", { class: "thread-name" }, other.user.username),
        thread.is_pinned ? el("span", { class: "pin-marker", title: "Pinned", "aria-label": "Pinned" }, "📌") : null,
        el("time", { datetime: threadActivity(thread) }, formatTime(threadActivity(thread))),
      ),
      el("span", { class: "thread-profile" }, other.profile),
      el("span", { class: "thread-preview" }, preview),
      el(
        "span",
        { class: "thread-meta" },
        el("span", { class: "thread-job" }, thread.job !== null ? `Job #${thread.job}` : "No job"),
        thread.unread_count > 0 ? el("span", { class: "badge", "aria-label": `${thread.unread_count} unread` }, thread.unread_count) : null,
      ),
    );
    link.addEventListener("click", (e: MouseEvent) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      this.open(thread.id);
    });
    const pin = el(
      "button",
      {
        type: "button",
        class: "link pin-toggle",
        "aria-pressed": thread.is_pinned ? "true" : "false",
        "aria-label": `${thread.is_pinned ? "Unpin" : "Pin"} thread with ${other.user.username}`,
        onclick: () => void this.togglePin(thread),
      },
      thread.is_pinned ? "Unpin" : "Pin",
    );
    return el(
      "li",
      { class: "thread", "data-thread-id": thread.id, "data-unread": thread.unread_count, "data-pinned": thread.is_pinned ? "true" : "false" },
      link,
      pin,
    );
  }

  private newThreadForm(): HTMLElement {
    const role = this.session.role;
    if (role !== "client" && role !== "freelancer") return el("p", { class: "muted" }, "Service and admin accounts open threads by link.");
    const otherRole = role === "client" ? "freelancer" : "client";
    const user = el("input", { id: "new-thread-user", name: "user", type: "number", min: 1, required: true, inputmode: "numeric" });
    const job = el("input", { id: "new-thread-job", name: "job", type: "number", min: 1, inputmode: "numeric" });
    const error = el("p", { class: "form-error", role: "alert" });
    const form = el(
      "form",
      { class: "new-thread", "aria-label": "Start a new thread" },
      el("div", { class: "field" }, el("label", { for: user.id }, `User id of the ${otherRole}`), user),
      el("div", { class: "field" }, el("label", { for: job.id }, "Job id (optional)"), job),
      el("button", { type: "submit" }, "Start thread"),
      error,
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      error.textContent = "";
      const other = Number(user.value);
      const body =
        role === "client"
          ? { client: this.session.userId, freelancer: other, job: job.value ? Number(job.value) : null }
          : { client: other, freelancer: this.session.userId, job: job.value ? Number(job.value) : null };
      try {
        const thread = await this.api.createThread(body);
        this.upsert(thread);
        form.reset();
        this.open(thread.id);
      } catch (failure) {
        error.textContent = failure instanceof ApiError ? failure.message : "Could not start the thread.";
      }
    });
    return form;
  }
}
