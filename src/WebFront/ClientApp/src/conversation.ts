import { ApiError, type Api } from "./api";
import { renderThreadActions } from "./actions";
import { el } from "./dom";
import { otherParticipant } from "./format";
import { renderMessage, renderPending } from "./messageItem";
import { hubError, type ChatConnection } from "./realtime";
import type { Session } from "./session";
import type { Message, MessageDeleted, MessagesDelivered, MessagesRead, Thread, TypingIndicator } from "./types";

const pageSize = 50;

interface Pending {
  text: string;
  node: HTMLLIElement;
  status: HTMLElement;
}

/**
 * One open thread. Messages are kept by seq: whatever path a message comes by (history page, JoinThread catch-up,
 * live event, the send's return value) it lands once, in order. `lastSeq` is the catch-up cursor for reconnects.
 */
export class ConversationView {
  readonly element: HTMLElement;
  private thread: Thread | null = null;
  private readonly bySeq = new Map<number, Message>();
  private readonly nodes = new Map<number, HTMLLIElement>();
  private readonly pending = new Map<string, Pending>();
  private lastSeq = 0;
  private oldestSeq: number | null = null;
  private hasOlder = false;
  private loadingOlder = false;
  private loaded = false;
  private joinedOnce = false;
  private disposed = false;
  private editingSeq: number | null = null;
  private typingSentAt = 0;
  private typingIdle = 0;
  private typingHide = 0;
  private markReadTimer = 0;
  private markDeliveredTimer = 0;
  private unsubscribeResync: (() => void) | null = null;

  private readonly header = el("header", { class: "conversation-head" });
  private readonly scroller = el("div", { class: "messages", tabindex: 0, "aria-label": "Messages" });
  private readonly olderButton = el("button", { type: "button", class: "older secondary", hidden: true }, "Load older messages");
  private readonly list = el("ol", { class: "message-list", "aria-live": "polite", "aria-relevant": "additions" });
  private readonly pendingList = el("ol", { class: "message-list pending-list" });
  private readonly typingLine = el("p", { class: "typing", "aria-live": "polite" });
  private readonly notice = el("p", { class: "form-error", role: "alert" });
  private readonly input = el("textarea", {
    id: "composer-input",
    rows: 2,
    maxlength: 10000,
    placeholder: "Write a message… (Enter sends, Shift+Enter for a new line)",
  });

  constructor(
    readonly threadId: number,
    private readonly api: Api,
    private readonly hub: ChatConnection,
    private readonly session: Session,
    private readonly back: () => void,
  ) {
    this.olderButton.addEventListener("click", () => void this.loadOlder());
    this.scroller.addEventListener("scroll", () => {
      if (this.scroller.scrollTop < 60) void this.loadOlder();
    });
    this.scroller.append(this.olderButton, this.list, this.pendingList);
    const composer = el(
      "form",
      { class: "composer", "aria-label": "Send a message" },
      el("label", { for: "composer-input", class: "visually-hidden" }, "Message"),
      this.input,
      el("button", { type: "submit" }, "Send"),
    );
    composer.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => this.typing());
    this.element = el("section", { class: "conversation", "aria-label": "Conversation", "data-thread-id": threadId }, this.header, this.scroller, this.typingLine, this.notice, composer);
    document.addEventListener("visibilitychange", this.onVisible);
  }

  async open(): Promise<void> {
    this.header.replaceChildren(el("p", {}, "Loading…"));
    try {
      this.thread = await this.api.thread(this.threadId);
      this.renderHeader();
      const page = await this.api.messages(this.threadId, { limit: pageSize });
      this.hasOlder = page.has_more;
      this.merge(page.results, "new");
      this.loaded = true;
      this.updateOlderButton();
      this.scrollToBottom();
    } catch (failure) {
      this.header.replaceChildren(el("p", { class: "form-error", role: "alert" }, failure instanceof ApiError && failure.status === 404 ? "This thread does not exist or is not yours." : "Could not load the thread."));
      return;
    }
    this.unsubscribeResync = this.hub.onResync(() => void this.resync());
    await this.resync();
  }

  dispose(): void {
    this.disposed = true;
    this.stopTyping();
    this.unsubscribeResync?.();
    document.removeEventListener("visibilitychange", this.onVisible);
    window.clearTimeout(this.markReadTimer);
    window.clearTimeout(this.markDeliveredTimer);
    window.clearTimeout(this.typingHide);
    void this.hub.leave(this.threadId);
  }

  focusComposer(): void {
    this.input.focus();
  }

  // ---- live events (already filtered to this thread)

  onMessage(message: Message): void {
    if (message.sender.username !== this.session.username) this.showTyping(message.sender.username, false);
    this.merge([message], "new");
    if (message.sender.id !== this.session.userId) this.scheduleMarkDelivered();
  }

  /** The other side got my messages up to a seq: their receipts become "delivered". */
  onDelivered(delivered: MessagesDelivered): void {
    if (delivered.user.id === this.session.userId) return;
    for (const message of this.bySeq.values()) {
      if (message.sender.id === this.session.userId && !message.is_delivered && message.seq <= delivered.up_to_seq) {
        this.merge([{ ...message, is_delivered: true }], "replace");
      }
    }
  }

  onEdited(message: Message): void {
    this.merge([message], "replace");
  }

  onDeleted(deleted: MessageDeleted): void {
    const known = this.bySeq.get(deleted.seq);
    if (known) this.merge([{ ...known, message: "", metadata: null, is_deleted: true }], "replace");
  }

  onRead(read: MessagesRead): void {
    const ids = new Set(read.message_ids);
    const mine = read.reader === this.session.username;
    for (const message of this.bySeq.values()) {
      const ownMessage = message.sender.id === this.session.userId;
      // The other side's reads flip my receipts; my own reads (another tab) flip the messages I received.
      if (ownMessage === mine || message.is_read) continue;
      if (ids.has(message.id) || (read.up_to_seq !== undefined && message.seq <= read.up_to_seq)) {
        this.merge([{ ...message, is_read: true }], "replace");
      }
    }
  }

  onTyping(typing: TypingIndicator): void {
    if (typing.user !== this.session.username) this.showTyping(typing.user, typing.is_typing);
  }

  // ---- loading and catch-up

  /** After every (re)connect: join with the last seen seq, take what was missed, refresh edits and receipts, resend. */
  private async resync(): Promise<void> {
    if (!this.loaded || this.disposed || !this.hub.isConnected) return;
    try {
      const missed = await this.hub.join(this.threadId, this.lastSeq);
      this.merge(missed, "new");
      if (this.joinedOnce) {
        // Edits, deletions and read receipts carry no new seq: the newest page brings them up to date.
        const page = await this.api.messages(this.threadId, { limit: pageSize });
        this.merge(page.results, "replace");
      }
      this.joinedOnce = true;
      this.notice.textContent = "";
      for (const id of this.pending.keys()) void this.deliver(id);
      this.scheduleMarkRead();
    } catch (failure) {
      if (hubError(failure).status !== 0) this.notice.textContent = hubError(failure).detail;
    }
  }

  private async loadOlder(): Promise<void> {
    if (this.loadingOlder || !this.hasOlder || this.oldestSeq === null) return;
    this.loadingOlder = true;
    try {
      const heightBefore = this.scroller.scrollHeight;
      const page = await this.api.messages(this.threadId, { before: this.oldestSeq, limit: pageSize });
      this.hasOlder = page.has_more;
      this.merge(page.results, "new", false);
      // Keep the message the reader was looking at in place.
      this.scroller.scrollTop += this.scroller.scrollHeight - heightBefore;
    } catch {
      this.notice.textContent = "Could not load older messages.";
    } finally {
      this.loadingOlder = false;
      this.updateOlderButton();
    }
  }

  /** "new": a seq already seen is dropped (spec §5). "replace": the newer state of a known message wins. */
  private merge(messages: Message[], mode: "new" | "replace", follow = true): void {
    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 80;
    let ownAdded = false;
    for (const message of messages) {
      if (message.thread !== this.threadId) continue;
      if (message.client_message_id) this.dropPending(message.client_message_id);
      const previous = this.bySeq.get(message.seq);
      const known = previous !== undefined;
      if (known && mode === "new") continue;
      // Read is final: an edit event (which carries no reader's view) must not turn a receipt back to "Sent".
      if (previous?.is_read) message.is_read = true;
      if (previous?.is_delivered) message.is_delivered = true;
      this.bySeq.set(message.seq, message);
      this.lastSeq = Math.max(this.lastSeq, message.seq);
      this.oldestSeq = this.oldestSeq === null ? message.seq : Math.min(this.oldestSeq, message.seq);
      if (this.editingSeq === message.seq) continue;
      this.place(message);
      ownAdded ||= !known && message.sender.id === this.session.userId;
    }
    if (follow && (atBottom || ownAdded)) this.scrollToBottom();
    this.scheduleMarkRead();
  }

  private place(message: Message): void {
    const node = renderMessage(message, this.session.userId, { edit: (m) => this.startEdit(m), remove: (m) => void this.remove(m) });
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

  // ---- sending

  private submit(): void {
    const text = this.input.value;
    if (text.trim().length === 0) return;
    this.input.value = "";
    this.stopTyping();
    const id = typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const { node, status } = renderPending(text);
    this.pending.set(id, { text, node, status });
    this.pendingList.append(node);
    this.scrollToBottom();
    void this.deliver(id);
  }

  /** Sends (or resends after a reconnect) with the same client_message_id, so a retry never duplicates. */
  private async deliver(id: string): Promise<void> {
    const item = this.pending.get(id);
    if (!item) return;
    if (!this.hub.isConnected) {
      item.status.textContent = "Waiting for connection…";
      return;
    }
    try {
      this.merge([await this.hub.send(this.threadId, { message: item.text, client_message_id: id })], "new");
    } catch (failure) {
      const error = hubError(failure);
      if (error.status === 0) {
        item.status.textContent = "Waiting for connection…";
      } else {
        this.dropPending(id);
        this.notice.textContent = `Not sent: ${error.detail}`;
        if (this.input.value === "") this.input.value = item.text;
      }
    }
  }

  private dropPending(id: string): void {
    this.pending.get(id)?.node.remove();
    this.pending.delete(id);
  }

  // ---- edit and delete

  private startEdit(message: Message): void {
    const node = this.nodes.get(message.seq);
    if (!node || this.editingSeq !== null) return;
    this.editingSeq = message.seq;
    const field = el("textarea", { id: `edit-${message.id}`, rows: 2, maxlength: 10000 });
    field.value = message.message;
    const finish = () => {
      this.editingSeq = null;
      const latest = this.bySeq.get(message.seq);
      if (latest) this.place(latest);
      this.input.focus();
    };
    const form = el(
      "form",
      { class: "msg-edit" },
      el("label", { for: field.id }, "Edit message"),
      field,
      el("div", { class: "form-buttons" }, el("button", { type: "submit" }, "Save"), el("button", { type: "button", class: "secondary", onclick: finish }, "Cancel")),
    );
    const save = async () => {
      const text = field.value;
      if (text.trim().length === 0 || text === message.message) return finish();
      try {
        const edited = await this.api.editMessage(message.id, text);
        this.bySeq.set(edited.seq, edited);
        finish();
      } catch (failure) {
        this.notice.textContent = failure instanceof ApiError ? `Not saved: ${failure.message}` : "Not saved.";
      }
    };
    field.addEventListener("keydown", (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        finish();
      } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void save();
      }
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void save();
    });
    node.querySelector(".msg-text")?.replaceWith(form);
    node.querySelector(".msg-foot")?.remove();
    field.focus();
  }

  private async remove(message: Message): Promise<void> {
    try {
      await this.api.deleteMessage(message.id);
      this.onDeleted({ id: message.id, thread: message.thread, seq: message.seq });
    } catch (failure) {
      this.notice.textContent = failure instanceof ApiError ? `Not deleted: ${failure.message}` : "Not deleted.";
    }
  }

  // ---- typing and read state

  private typing(): void {
    const now = Date.now();
    if (now - this.typingSentAt > 3000) {
      this.hub.typing(this.threadId, true);
      this.typingSentAt = now;
    }
    window.clearTimeout(this.typingIdle);
    this.typingIdle = window.setTimeout(() => this.stopTyping(), 4000);
  }

  private stopTyping(): void {
    window.clearTimeout(this.typingIdle);
    if (this.typingSentAt !== 0) {
      this.hub.typing(this.threadId, false);
      this.typingSentAt = 0;
    }
  }

  private showTyping(user: string, isTyping: boolean): void {
    window.clearTimeout(this.typingHide);
    this.typingLine.textContent = isTyping ? `${user} is typing…` : "";
    // The server expires typing within 10 s; a lost "false" must not leave the line up forever.
    if (isTyping) this.typingHide = window.setTimeout(() => (this.typingLine.textContent = ""), 12_000);
  }

  private readonly onVisible = () => this.scheduleMarkRead();

  /** Reading happens when the thread is on screen: everything up to the last seen seq becomes read. */
  private scheduleMarkRead(): void {
    if (!this.loaded || this.disposed || document.visibilityState !== "visible") return;
    const unread = [...this.bySeq.values()].some((m) => m.sender.id !== this.session.userId && !m.is_read && !m.is_deleted);
    // One pending mark-read at a time, never postponed by further messages: it reads up to the seq seen when it runs.
    if (!unread || this.markReadTimer !== 0) return;
    this.markReadTimer = window.setTimeout(async () => {
      this.markReadTimer = 0;
      const upTo = this.lastSeq;
      try {
        await (this.hub.isConnected ? this.hub.markRead(this.threadId, upTo) : this.api.markRead(this.threadId, upTo));
        for (const message of this.bySeq.values()) {
          if (message.seq <= upTo && message.sender.id !== this.session.userId) message.is_read = true;
        }
        this.scheduleMarkRead(); // for what arrived while this one ran
      } catch {
        // Retried with the next message or the next reconnect.
      }
    }, 200);
  }

  /** Messages that reached this client are marked delivered, at most once a second per thread (spec §7). */
  private scheduleMarkDelivered(): void {
    if (this.disposed || this.markDeliveredTimer !== 0) return;
    this.markDeliveredTimer = window.setTimeout(() => {
      this.markDeliveredTimer = 0;
      if (this.hub.isConnected) void this.hub.markDelivered(this.threadId, this.lastSeq).catch(() => undefined);
    }, 1000);
  }

  // ---- rendering

  private renderHeader(): void {
    const thread = this.thread!;
    const other = otherParticipant(thread, this.session);
    this.header.replaceChildren(
      el("button", { type: "button", class: "back secondary", "aria-label": "Back to threads", onclick: this.back }, "←"),
      el(
        "div",
        { class: "conversation-title" },
        el("h2", {}, other.user.username),
        el("p", { class: "profile" }, other.profile, thread.job !== null ? ` · Job #${thread.job}` : "", thread.is_active ? "" : " · closed"),
      ),
      renderThreadActions(thread, this.session.userId, this.api, (m) => this.merge([m], "new")),
    );
  }

  private updateOlderButton(): void {
    this.olderButton.hidden = !this.hasOlder;
    this.olderButton.textContent = this.loadingOlder ? "Loading…" : "Load older messages";
  }

  private scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
