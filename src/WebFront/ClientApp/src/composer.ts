import { el } from "./dom";
import { renderPending } from "./messageItem";
import { quoteLines, quoteOf } from "./quote";
import { hubError, type ChatConnection } from "./realtime";
import type { Message, ReplyQuote } from "./types";

interface Pending {
  text: string;
  replyTo: ReplyQuote | null;
  node: HTMLLIElement;
  status: HTMLElement;
}

export interface ComposerHooks {
  sent(message: Message): void;
  notice(text: string): void;
  scrollToBottom(): void;
}

/**
 * Writing: the text field (Enter sends, Shift+Enter a new line), the message being replied to above it (Escape or ×
 * cancels), typing notifications, and the optimistic list of own messages not yet acknowledged.
 */
export class Composer {
  readonly element: HTMLFormElement;
  readonly pendingList = el("ol", { class: "message-list pending-list" });
  private readonly pending = new Map<string, Pending>();
  private readonly replyBar = el("div", { class: "reply-bar", hidden: true, "aria-live": "polite" });
  private readonly input = el("textarea", {
    id: "composer-input",
    rows: 2,
    maxlength: 10000,
    placeholder: "Write a message… (Enter sends, Shift+Enter for a new line)",
  });
  private replyTo: ReplyQuote | null = null;
  private typingSentAt = 0;
  private typingIdle = 0;

  constructor(
    private readonly threadId: number,
    private readonly hub: ChatConnection,
    private readonly hooks: ComposerHooks,
  ) {
    this.element = el(
      "form",
      { class: "composer", "aria-label": "Send a message" },
      this.replyBar,
      el(
        "div",
        { class: "composer-row" },
        el("label", { for: "composer-input", class: "visually-hidden" }, "Message"),
        this.input,
        el("button", { type: "submit" }, "Send"),
      ),
    );
    this.element.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      } else if (e.key === "Escape" && this.replyTo !== null) {
        e.preventDefault();
        this.cancelReply();
      }
    });
    this.input.addEventListener("input", () => this.typing());
  }

  focus(): void {
    this.input.focus();
  }

  dispose(): void {
    this.stopTyping();
  }

  /** The next message replies to `parent`; the quote shows above the field until it is sent or cancelled. */
  startReply(parent: Message): void {
    this.replyTo = quoteOf(parent);
    this.renderReplyBar();
    this.input.focus();
  }

  cancelReply(): void {
    this.replyTo = null;
    this.renderReplyBar();
    this.input.focus();
  }

  /** The parent being replied to was edited or deleted meanwhile: the quote above the field follows it. */
  refreshReply(parent: Message): void {
    if (this.replyTo?.id !== parent.id) return;
    this.replyTo = quoteOf(parent);
    this.renderReplyBar();
  }

  /** A message came back from the server with this client_message_id: its optimistic copy goes. */
  acknowledged(clientMessageId: string): void {
    this.pending.get(clientMessageId)?.node.remove();
    this.pending.delete(clientMessageId);
  }

  /** After a reconnect: everything not yet acknowledged goes again, with the same ids. */
  resendPending(): void {
    for (const id of this.pending.keys()) void this.deliver(id);
  }

  private renderReplyBar(): void {
    const quote = this.replyTo;
    this.replyBar.hidden = quote === null;
    if (quote === null) {
      this.replyBar.replaceChildren();
      return;
    }
    this.replyBar.replaceChildren(
      el("div", { class: "quote", "data-reply-to": quote.id }, el("span", { class: "reply-label" }, "Replying to"), ...quoteLines(quote)),
      el("button", { type: "button", class: "link cancel-reply", "aria-label": "Cancel reply", onclick: () => this.cancelReply() }, "×"),
    );
  }

  private submit(): void {
    const text = this.input.value;
    if (text.trim().length === 0) return;
    this.input.value = "";
    this.stopTyping();
    const id = typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const replyTo = this.replyTo;
    this.replyTo = null;
    this.renderReplyBar();
    const { node, status } = renderPending(text, replyTo);
    this.pending.set(id, { text, replyTo, node, status });
    this.pendingList.append(node);
    this.hooks.scrollToBottom();
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
      const payload = { message: item.text, client_message_id: id, ...(item.replyTo ? { reply_to: item.replyTo.id } : {}) };
      this.hooks.sent(await this.hub.send(this.threadId, payload));
    } catch (failure) {
      const error = hubError(failure);
      if (error.status === 0) {
        item.status.textContent = "Waiting for connection…";
      } else {
        this.acknowledged(id);
        this.hooks.notice(`Not sent: ${error.detail}`);
        if (this.input.value === "") this.input.value = item.text;
        if (this.replyTo === null && item.replyTo !== null) {
          this.replyTo = item.replyTo;
          this.renderReplyBar();
        }
      }
    }
  }

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
}
