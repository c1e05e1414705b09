import { ApiError, type Api } from "./api";
import { el } from "./dom";
import { formatTime } from "./format";
import { highlightWords, queryWords, snippet } from "./snippet";
import type { Message } from "./types";

export interface SearchHooks {
  /** Opens the thread at the message. */
  open(threadId: number, seq: number): void;
  /** How the thread list names a thread ("bob.dev · Job #7"); null for a thread it does not hold. */
  describe(threadId: number): string | null;
  /** Results are shown (true) or the box was cleared (false): the thread list hides meanwhile. */
  showing(active: boolean): void;
}

/**
 * The search box above the thread list (spec §8 `GET /api/chat/search/`): results newest first with sender, thread,
 * a snippet with the matched words marked, and time; "More results" pages on by id. Typing searches after a pause;
 * Escape or clearing the box goes back to the threads.
 */
export class SearchPanel {
  readonly element: HTMLElement;
  private readonly input = el("input", {
    id: "search-input",
    type: "search",
    maxlength: 200,
    autocomplete: "off",
    placeholder: "Search messages",
  });
  private readonly status = el("p", { class: "muted search-status", "aria-live": "polite" });
  private readonly results = el("ol", { class: "search-results", "aria-label": "Search results" });
  private readonly more = el("button", { type: "button", class: "secondary more-results", hidden: true }, "More results");
  private readonly region = el("div", { class: "search-region", hidden: true });
  private query = "";
  private oldestId: number | null = null;
  private debounce = 0;
  /** Answers to an older query (or page request) are dropped: only the newest request's answer is shown. */
  private generation = 0;

  constructor(
    private readonly api: Api,
    private readonly hooks: SearchHooks,
  ) {
    const form = el(
      "form",
      { class: "search", role: "search", "aria-label": "Message search" },
      el("label", { for: this.input.id, class: "visually-hidden" }, "Search messages"),
      this.input,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      window.clearTimeout(this.debounce);
      void this.search(this.input.value);
    });
    this.input.addEventListener("input", () => {
      window.clearTimeout(this.debounce);
      this.debounce = window.setTimeout(() => void this.search(this.input.value), 300);
    });
    this.input.addEventListener("keydown", (e: KeyboardEvent) => {
      if (e.key === "Escape") this.clear();
    });
    this.more.addEventListener("click", () => void this.page());
    this.region.append(this.status, this.results, this.more);
    this.element = el("div", { class: "search-panel" }, form, this.region);
  }

  clear(): void {
    window.clearTimeout(this.debounce);
    this.generation++;
    this.input.value = "";
    this.query = "";
    this.results.replaceChildren();
    this.region.hidden = true;
    this.hooks.showing(false);
  }

  private async search(raw: string): Promise<void> {
    const q = raw.trim();
    if (q.length === 0) return this.clear();
    if (q === this.query && !this.region.hidden) return;
    this.query = q;
    this.oldestId = null;
    this.results.replaceChildren();
    this.more.hidden = true;
    this.region.hidden = false;
    this.hooks.showing(true);
    this.status.textContent = "Searching…";
    await this.page();
  }

  private async page(): Promise<void> {
    const generation = ++this.generation;
    const q = this.query;
    this.more.disabled = true;
    try {
      const page = await this.api.search(q, this.oldestId ?? undefined);
      if (generation !== this.generation) return;
      this.results.append(...page.results.map((m) => this.hit(m, queryWords(q))));
      if (page.results.length > 0) this.oldestId = page.results[page.results.length - 1].id;
      this.more.hidden = page.next === null;
      const count = this.results.childElementCount;
      this.status.textContent = count === 0 ? `No messages match “${q}”.` : `${count}${page.next ? "+" : ""} ${count === 1 ? "message" : "messages"}`;
    } catch (failure) {
      if (generation !== this.generation) return;
      this.status.textContent = failure instanceof ApiError ? `Search failed: ${failure.message}` : "Search failed.";
    } finally {
      this.more.disabled = false;
    }
  }

  private hit(message: Message, words: string[]): HTMLLIElement {
    const thread = this.hooks.describe(message.thread) ?? `Thread #${message.thread}`;
    const link = el(
      "a",
      { href: `/app/threads/${message.thread}`, class: "search-hit-link" },
      el(
        "span",
        { class: "hit-top" },
        el("strong", { class: "hit-sender" }, message.sender.username),
        el("time", { datetime: message.sent_at }, formatTime(message.sent_at)),
      ),
      el("span", { class: "hit-thread" }, thread),
      el("span", { class: "hit-snippet" }, ...highlightWords(snippet(message.message, words), words)),
    );
    link.addEventListener("click", (e: MouseEvent) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      this.hooks.open(message.thread, message.seq);
    });
    return el("li", { class: "search-hit", "data-thread-id": message.thread, "data-seq": message.seq, "data-id": message.id }, link);
  }
}
