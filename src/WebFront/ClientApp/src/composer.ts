import type { Api } from "./api";
import { AttachmentTray } from "./attachmentTray";
import { el } from "./dom";
import { renderPending } from "./messageItem";
import { quoteLines, quoteOf } from "./quote";
import { hubError, type ChatConnection } from "./realtime";
import type { Message, ReplyQuote, UploadedAttachment } from "./types";

interface Pending {
  text: string;
  replyTo: ReplyQuote | null;
  files: UploadedAttachment[];
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
 * cancels), the files to send (the paperclip, or dropped on the conversation; see attachmentTray.ts), typing
 * notifications, and the optimistic list of own messages not yet acknowledged.
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
  private readonly fileInput = el("input", { type: "file", multiple: true, hidden: true, id: "composer-files" });
  private readonly tray: AttachmentTray;
  private replyTo: ReplyQuote | null = null;
  private typingSentAt = 0;
  private typingIdle = 0;

  constructor(
    private readonly threadId: number,
    private readonly hub: ChatConnection,
    api: Api,
    private readonly hooks: ComposerHooks,
  ) {
    this.tray = new AttachmentTray(threadId, api);
    this.element = el(
      "form",
      { class: "composer", "aria-label": "Send a message" },
      this.replyBar,
      this.tray.element,
      el(
        "div",
        { class: "composer-row" },
        el("label", { for: "composer-files", class: "visually-hidden" }, "Attach files"),
        this.fileInput,
        el("button", { type: "button", class: "secondary attach", "aria-label": "Attach files", title: "Attach files (or drop them on the conversation)", onclick: () => this.fileInput.click() }, "📎"),
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
    this.fileInput.addEventListener("change", () => {
      this.attach([...(this.fileInput.files ?? [])]);
      // The same file can be picked again after its chip was removed.
      this.fileInput.value = "";
    });
  }

  /** Files picked or dropped: each starts uploading at once and shows as a chip above the field. */
  attach(files: File[]): void {
    if (files.length === 0) return;
    this.tray.add(files);
    this.input.focus();
  }

  focus(): void {
    this.input.focus();
  }

  dispose(): void {
    this.tray.dispose();
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
    if (this.tray.uploading) {
      this.hooks.notice("Wait until the files have uploaded, then send.");
      return;
    }
    // A message may be only files (spec §8); then whitespace alone is not sent as text.
    const typed = this.input.value;
    if (typed.trim().length === 0 && !this.tray.hasReady) return;
    const text = typed.trim().length === 0 ? "" : typed;
    const files = this.tray.takeReady();
    this.hooks.notice("");
    this.input.value = "";
    this.stopTyping();
    const id = typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const replyTo = this.replyTo;
    this.replyTo = null;
    this.renderReplyBar();
    const { node, status } = renderPending(text, replyTo, files.map((f) => f.file_name));
    this.pending.set(id, { text, replyTo, files, node, status });
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
      const payload = {
        message: item.text,
        client_message_id: id,
        ...(item.replyTo ? { reply_to: item.replyTo.id } : {}),
        ...(item.files.length > 0 ? { attachments: item.files.map((f) => f.id) } : {}),
      };
      this.hooks.sent(await this.hub.send(this.threadId, payload));
    } catch (failure) {
      const error = hubError(failure);
      if (error.status === 0) {
        item.status.textContent = "Waiting for connection…";
      } else {
        this.acknowledged(id);
        this.hooks.notice(`Not sent: ${error.detail}`);
        if (this.input.value === "") this.input.value = item.text;
        this.tray.restore(item.files);
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
