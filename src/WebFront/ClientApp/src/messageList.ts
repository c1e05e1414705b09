import type { Api } from "./api";
import { el } from "./dom";
import { renderMessage, type MessageActions } from "./messageItem";
import { quoteOf } from "./quote";
import { applyReactionUpdate } from "./reactions";
import type { Message, Reaction, ReactionUpdated } from "./types";

export const pageSize = 50;
/** Jumping to an old message (a search hit, a quote) reads the largest pages the API gives (spec §3: 200). */
const jumpPageSize = 200;

export interface ListHooks {
  actions: MessageActions;
  /** A message acknowledged by the server: its optimistic copy leaves the pending list. */
  acknowledged(clientMessageId: string): void;
  /** After every merge: new or changed messages may be unread. */
  merged(): void;
  notice(text: string): void;
}

/**
 * The thread's messages, kept by seq: whatever path a message comes by (history page, JoinThread catch-up, live
 * event, the send's return value) it lands once, in order. `lastSeq` is the catch-up cursor for reconnects; the seqs
 * held are always one contiguous range, so older pages are read strictly downwards from `oldestSeq`.
 */
export class MessageList {
  readonly scroller = el("div", { class: "messages", tabindex: 0, "aria-label": "Messages" });
  readonly bySeq = new Map<number, Message>();
  lastSeq = 0;
  hasOlder = false;
  private readonly nodes = new Map<number, HTMLLIElement>();
  private readonly list = el("ol", { class: "message-list", "aria-live": "polite", "aria-relevant": "additions" });
  private readonly olderButton = el("button", { type: "button", class: "older secondary", hidden: true }, "Load older messages");
  private oldestSeq: number | null = null;
  private olderLoad: Promise<boolean> | null = null;
  private editingSeq: number | null = null;
  private pickerSeq: number | null = null;
  private highlightSeq: number | null = null;

  constructor(
    private readonly threadId: number,
    private readonly myId: number,
    private readonly api: Api,
    private readonly hooks: ListHooks,
    pendingList: HTMLElement,
  ) {
    this.olderButton.addEventListener("click", () => void this.loadOlder());
    this.scroller.addEventListener("scroll", () => {
      if (this.scroller.scrollTop < 60) void this.loadOlder();
    });
    this.scroller.append(this.olderButton, this.list, pendingList);
  }

  /** The first page: the newest messages. */
  setFirstPage(messages: Message[], hasOlder: boolean): void {
    this.hasOlder = hasOlder;
    this.merge(messages, "new");
    this.updateOlderButton();
    this.scrollToBottom();
  }

  /** "new": a seq already seen is dropped (spec §5). "replace": the newer state of a known message wins. */
  merge(messages: Message[], mode: "new" | "replace", follow = true): void {
    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 80;
    let ownAdded = false;
    for (const message of messages) {
      if (message.thread !== this.threadId) continue;
      if (message.client_message_id) this.hooks.acknowledged(message.client_message_id);
      const previous = this.bySeq.get(message.seq);
      const known = previous !== undefined;
      if (known && mode === "new") continue;
      // Read is final: an edit event (which carries no reader's view) must not turn a receipt back to "Sent".
      if (previous?.is_read) message.is_read = true;
      if (previous?.is_delivered) message.is_delivered = true;
      this.bySeq.set(message.seq, message);
      this.lastSeq = Math.max(this.lastSeq, message.seq);
      this.oldestSeq = this.oldestSeq === null ? message.seq : Math.min(this.oldestSeq, message.seq);
      this.place(message);
      ownAdded ||= !known && message.sender.id === this.myId;
    }
    if (follow && (atBottom || ownAdded)) this.scrollToBottom();
    this.hooks.merged();
  }

  /** A change to a known message (receipt, reaction, quote); unknown seqs are ignored. */
  update(seq: number, change: (message: Message) => Message): void {
    const known = this.bySeq.get(seq);
    if (known) this.merge([change(known)], "replace", false);
  }

  /** A parent was edited or deleted: every reply to it shows the parent's current text (spec §7). */
  refreshQuotes(parent: Message): void {
    const quote = quoteOf(parent);
    for (const message of [...this.bySeq.values()]) {
      if (message.reply_to?.id === parent.id) this.update(message.seq, (m) => ({ ...m, reply_to: quote }));
    }
  }

  applyReaction(update: ReactionUpdated): void {
    const known = this.bySeq.get(update.seq);
    if (known?.id !== update.message_id || known.is_deleted) return;
    this.update(update.seq, (m) => ({ ...m, reactions: applyReactionUpdate(m.reactions ?? [], update, this.myId) }));
  }

  setReactions(seq: number, reactions: Reaction[]): void {
    this.update(seq, (m) => (m.is_deleted ? m : { ...m, reactions }));
  }

  /** Opens (or closes) the reaction picker of one message; one is open at a time. */
  togglePicker(seq: number): void {
    const previous = this.pickerSeq;
    this.pickerSeq = previous === seq ? null : seq;
    if (previous !== null) this.rerender(previous);
    if (this.pickerSeq !== null) {
      this.rerender(this.pickerSeq);
      this.nodes.get(this.pickerSeq)?.querySelector<HTMLButtonElement>(".reaction-picker button:not([disabled])")?.focus();
    }
  }

  /** The message's node for an inline editor; it is not re-rendered until {@link endEdit}. */
  beginEdit(seq: number): HTMLLIElement | null {
    if (this.editingSeq !== null) return null;
    this.editingSeq = seq;
    return this.nodes.get(seq) ?? null;
  }

  endEdit(): void {
    const seq = this.editingSeq;
    this.editingSeq = null;
    if (seq !== null) this.rerender(seq);
  }

  /**
   * Shows one message (a search hit, a quoted parent): older pages are read until its seq is held, then it is
   * scrolled to the middle and highlighted. False when the thread has no such seq.
   */
  async reveal(seq: number): Promise<boolean> {
    while (!this.bySeq.has(seq) && this.hasOlder && (this.oldestSeq ?? 0) > seq) {
      if (!(await this.loadOlder(jumpPageSize))) return false;
    }
    const node = this.nodes.get(seq);
    if (!node) return false;
    const previous = this.highlightSeq;
    this.highlightSeq = seq;
    if (previous !== null) this.rerender(previous);
    this.rerender(seq);
    this.nodes.get(seq)?.scrollIntoView({ block: "center" });
    return true;
  }

  /** Reads the page just below the oldest held seq; concurrent callers share one request. True when it worked. */
  loadOlder(limit = pageSize): Promise<boolean> {
    if (!this.hasOlder || this.oldestSeq === null) return Promise.resolve(true);
    this.olderLoad ??= this.readOlder(this.oldestSeq, limit).finally(() => {
      this.olderLoad = null;
      this.updateOlderButton();
    });
    this.updateOlderButton();
    return this.olderLoad;
  }

  scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private async readOlder(before: number, limit: number): Promise<boolean> {
    try {
      const heightBefore = this.scroller.scrollHeight;
      const page = await this.api.messages(this.threadId, { before, limit });
      this.hasOlder = page.has_more;
      this.merge(page.results, "new", false);
      // Keep the message the reader was looking at in place.
      this.scroller.scrollTop += this.scroller.scrollHeight - heightBefore;
      return true;
    } catch {
      this.hooks.notice("Could not load older messages.");
      return false;
    }
  }

  private rerender(seq: number): void {
    const message = this.bySeq.get(seq);
    if (message) this.place(message);
  }

  private place(message: Message): void {
    if (this.editingSeq === message.seq) return;
    const look = { myId: this.myId, pickerOpen: this.pickerSeq === message.seq, highlighted: this.highlightSeq === message.seq };
    const node = renderMessage(message, look, this.hooks.actions);
    const existing = this.nodes.get(message.seq);
    this.nodes.set(message.seq, node);
    if (existing) {
      existing.replaceWith(node);
      return;
    }
    let next: HTMLLIElement | null = null;
    let nextSeq = Infinity;
    for (const [seq, candidate] of this.nodes) {
      if (seq > message.seq && seq < nextSeq) {
        next = candidate;
        nextSeq = seq;
      }
    }
    this.list.insertBefore(node, next);
  }

  private updateOlderButton(): void {
    this.olderButton.hidden = !this.hasOlder;
    this.olderButton.textContent = this.olderLoad ? "Loading…" : "Load older messages";
  }
}
