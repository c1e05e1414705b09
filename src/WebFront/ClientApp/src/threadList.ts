import { ApiError, type Api } from "./api";
import { el } from "./dom";
import { formatTime, otherParticipant, threadActivity } from "./format";
import type { Session } from "./session";
import type { Thread, UnreadCount } from "./types";

/** The user's threads, newest activity first, kept live by `thread_updated` and `unread_count`. */
export class ThreadListView {
  readonly element: HTMLElement;
  private readonly threads = new Map<number, Thread>();
  private readonly list = el("ul", { class: "thread-list" });
  private readonly status = el("p", { class: "muted", "aria-live": "polite" });
  private activeId: number | null = null;

  constructor(
    private readonly api: Api,
    private readonly session: Session,
    private readonly open: (threadId: number) => void,
  ) {
    this.element = el("nav", { class: "threads", "aria-label": "Threads" }, el("h2", {}, "Threads"), this.newThreadForm(), this.status, this.list);
  }

  async load(): Promise<void> {
    try {
      const page = await this.api.threads();
      this.threads.clear();
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
    this.render();
  }

  setUnread(unread: UnreadCount): void {
    const thread = this.threads.get(unread.thread);
    if (!thread) return;
    thread.unread_count = unread.thread_unread_count;
    this.render();
  }

  setActive(threadId: number | null): void {
    this.activeId = threadId;
    this.render();
  }

  private render(): void {
    const sorted = [...this.threads.values()].sort((a, b) => threadActivity(b).localeCompare(threadActivity(a)) || b.id - a.id);
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
      el("span", { class: "thread-top" }, el("strong", { class: "thread-name" }, other.user.username), el("time", { datetime: threadActivity(thread) }, formatTime(threadActivity(thread)))),
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
    return el("li", { class: "thread", "data-thread-id": thread.id, "data-unread": thread.unread_count }, link);
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
