import { ApiError, type Api } from "./api";
import { renderThreadActions } from "./actions";
import { AttachmentBlobs } from "./attachmentBlobs";
import { Composer } from "./composer";
import { el } from "./dom";
import { otherParticipant } from "./format";
import { openHistory } from "./historyDialog";
import { startInlineEdit } from "./messageEdit";
import type { MessageActions } from "./messageItem";
import { MessageList, pageSize } from "./messageList";
import { PresenceLine } from "./presence";
import { hubError, type ChatConnection } from "./realtime";
import { Receipts } from "./receipts";
import type { Session } from "./session";
import type { Message, MessageDeleted, MessagesDelivered, MessagesRead, PresenceChanged, ReactionUpdated, Thread, TypingIndicator } from "./types";

/**
 * One open thread: the header, the message list, the composer and the receipts, fed by the thread's live events
 * (already filtered to this thread by the app) and re-synchronised after every reconnect.
 */
export class ConversationView {
  readonly element: HTMLElement;
  private thread: Thread | null = null;
  private loaded = false;
  private joinedOnce = false;
  private disposed = false;
  private typingHide = 0;
  private unsubscribeResync: (() => void) | null = null;
  private presence: PresenceLine | null = null;
  private readonly list: MessageList;
  private readonly composer: Composer;
  private readonly receipts: Receipts;
  private readonly blobs: AttachmentBlobs;

  private readonly header = el("header", { class: "conversation-head" });
  private readonly typingLine = el("p", { class: "typing", "aria-live": "polite" });
  private readonly notice = el("p", { class: "form-error", role: "alert" });

  constructor(
    readonly threadId: number,
    private readonly api: Api,
    private readonly hub: ChatConnection,
    private readonly session: Session,
    private readonly back: () => void,
  ) {
    this.blobs = new AttachmentBlobs(api);
    this.composer = new Composer(threadId, hub, api, {
      sent: (m) => this.list.merge([m], "new"),
      notice: (text) => (this.notice.textContent = text),
      scrollToBottom: () => this.list.scrollToBottom(),
    });
    this.list = new MessageList(
      threadId,
      session.userId,
      api,
      {
        actions: this.messageActions(),
        acknowledged: (id) => this.composer.acknowledged(id),
        merged: () => this.receipts?.scheduleMarkRead(),
        notice: (text) => (this.notice.textContent = text),
      },
      this.composer.pendingList,
    );
    this.receipts = new Receipts(threadId, this.list, api, hub, session);
    this.element = el(
      "section",
      { class: "conversation", "aria-label": "Conversation", "data-thread-id": threadId },
      this.header,
      this.list.scroller,
      this.typingLine,
      this.notice,
      this.composer.element,
    );
    this.acceptDroppedFiles();
  }

  async open(): Promise<void> {
    this.header.replaceChildren(el("p", {}, "Loading…"));
    try {
      this.thread = await this.api.thread(this.threadId);
      if (this.disposed) return;
      this.presence = new PresenceLine(this.api, otherParticipant(this.thread, this.session).user.id);
      void this.presence.refresh();
      this.renderHeader();
      const page = await this.api.messages(this.threadId, { limit: pageSize });
      this.list.setFirstPage(page.results, page.has_more);
      this.loaded = true;
      this.receipts.start();
    } catch (failure) {
      this.header.replaceChildren(el("p", { class: "form-error", role: "alert" }, failure instanceof ApiError && failure.status === 404 ? "This thread does not exist or is not yours." : "Could not load the thread."));
      return;
    }
    this.unsubscribeResync = this.hub.onResync(() => void this.resync());
    await this.resync();
  }

  dispose(): void {
    this.disposed = true;
    this.composer.dispose();
    this.blobs.dispose();
    this.receipts.dispose();
    this.presence?.dispose();
    this.unsubscribeResync?.();
    window.clearTimeout(this.typingHide);
    void this.hub.leave(this.threadId);
  }

  focusComposer(): void {
    this.composer.focus();
  }

  /** Scrolls to one message (loading older pages as needed) and highlights it: a search hit, a quoted parent. */
  async showMessage(seq: number): Promise<void> {
    if (!this.loaded) return;
    this.notice.textContent = "";
    if (!(await this.list.reveal(seq))) this.notice.textContent = "That message is not in this thread any more.";
  }

  // ---- live events (already filtered to this thread)

  onMessage(message: Message): void {
    if (message.sender.username !== this.session.username) this.showTyping(message.sender.username, false);
    this.list.merge([message], "new");
    if (message.sender.id !== this.session.userId) this.receipts.scheduleMarkDelivered();
  }

  onDelivered(delivered: MessagesDelivered): void {
    this.receipts.onDelivered(delivered);
  }

  onRead(read: MessagesRead): void {
    this.receipts.onRead(read);
  }

  onEdited(message: Message): void {
    this.list.merge([message], "replace");
    this.parentChanged(message);
  }

  onDeleted(deleted: MessageDeleted): void {
    const known = this.list.bySeq.get(deleted.seq);
    if (known?.id === deleted.id) this.blobs.forget(known.attachments ?? []);
    this.list.update(deleted.seq, (known) => ({ ...known, message: "", metadata: null, is_deleted: true, reactions: [] }));
    const tombstone = this.list.bySeq.get(deleted.seq);
    if (tombstone?.id === deleted.id) this.parentChanged(tombstone);
  }

  onReaction(update: ReactionUpdated): void {
    this.list.applyReaction(update);
  }

  /** User-level: the app passes every `presence` event; the line keeps only its participant's. */
  onPresence(change: PresenceChanged): void {
    this.presence?.apply(change);
  }

  onTyping(typing: TypingIndicator): void {
    if (typing.user !== this.session.username) this.showTyping(typing.user, typing.is_typing);
  }

  // ---- catch-up

  /** After every (re)connect: join with the last seen seq, take what was missed, refresh edits and receipts, resend. */
  private async resync(): Promise<void> {
    if (!this.loaded || this.disposed || !this.hub.isConnected) return;
    try {
      const missed = await this.hub.join(this.threadId, this.list.lastSeq);
      this.list.merge(missed, "new");
      if (this.joinedOnce) {
        // Presence events sent while the connection was down are lost: read the current state.
        void this.presence?.refresh();
        // Edits, deletions, reactions and receipts carry no new seq: the newest page brings them up to date.
        const page = await this.api.messages(this.threadId, { limit: pageSize });
        this.list.merge(page.results, "replace");
      }
      this.joinedOnce = true;
      this.notice.textContent = "";
      this.composer.resendPending();
      this.receipts.scheduleMarkRead();
    } catch (failure) {
      if (hubError(failure).status !== 0) this.notice.textContent = hubError(failure).detail;
    }
  }

  // ---- what the buttons on a message do

  private messageActions(): MessageActions {
    return {
      reply: (m) => this.composer.startReply(m),
      edit: (m) => this.startEdit(m),
      remove: (m) => void this.remove(m),
      history: (m) => void openHistory(this.api, m),
      showParent: (quote) => void this.showMessage(quote.seq),
      togglePicker: (m) => this.list.togglePicker(m.seq),
      toggle: (m, emoji, add) => void this.react(m, emoji, add),
      attachmentUrl: (a) => this.blobs.url(a),
      saveAttachment: (a) =>
        void this.blobs.save(a).catch((failure: unknown) => (this.notice.textContent = `Not downloaded: ${failure instanceof ApiError ? failure.message : a.file_name}`)),
    };
  }

  /** A parent was edited or deleted: the quotes in its replies and above the composer show its current text. */
  private parentChanged(parent: Message): void {
    this.list.refreshQuotes(parent);
    this.composer.refreshReply(parent);
  }

  private startEdit(message: Message): void {
    const node = this.list.beginEdit(message.seq);
    if (!node) return;
    const save = async (text: string): Promise<boolean> => {
      try {
        const edited = await this.api.editMessage(message.id, text);
        this.list.merge([edited], "replace");
        this.parentChanged(edited);
        return true;
      } catch (failure) {
        this.notice.textContent = failure instanceof ApiError ? `Not saved: ${failure.message}` : "Not saved.";
        return false;
      }
    };
    startInlineEdit(node, message, save, () => {
      this.list.endEdit();
      this.composer.focus();
    });
  }

  private async remove(message: Message): Promise<void> {
    try {
      await this.api.deleteMessage(message.id);
      this.onDeleted({ id: message.id, thread: message.thread, seq: message.seq });
    } catch (failure) {
      this.notice.textContent = failure instanceof ApiError ? `Not deleted: ${failure.message}` : "Not deleted.";
    }
  }

  /** Adds or removes the user's reaction; the answer (and the `reaction_updated` event) updates the chips. */
  private async react(message: Message, emoji: string, add: boolean): Promise<void> {
    this.notice.textContent = "";
    try {
      const reactions = this.hub.isConnected ? await this.hub.react(message.id, emoji, add) : await this.api.react(message.id, emoji, add);
      if (reactions) this.list.setReactions(message.seq, reactions);
    } catch (failure) {
      const detail = failure instanceof ApiError ? failure.message : hubError(failure).detail;
      this.notice.textContent = `Reaction not saved: ${detail}`;
    }
  }

  /** Files dropped anywhere on the conversation go to the composer, as if picked with the paperclip. */
  private acceptDroppedFiles(): void {
    const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes("Files") ?? false;
    this.element.addEventListener("dragover", (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      this.element.classList.add("drop-target");
    });
    this.element.addEventListener("dragleave", (e: DragEvent) => {
      if (!this.element.contains(e.relatedTarget as Node | null)) this.element.classList.remove("drop-target");
    });
    this.element.addEventListener("drop", (e: DragEvent) => {
      this.element.classList.remove("drop-target");
      if (!carriesFiles(e)) return;
      e.preventDefault();
      this.composer.attach([...(e.dataTransfer?.files ?? [])]);
    });
  }

  // ---- typing and header

  private showTyping(user: string, isTyping: boolean): void {
    window.clearTimeout(this.typingHide);
    this.typingLine.textContent = isTyping ? `${user} is typing…` : "";
    // The server expires typing within 10 s; a lost "false" must not leave the line up forever.
    if (isTyping) this.typingHide = window.setTimeout(() => (this.typingLine.textContent = ""), 12_000);
  }

  private renderHeader(): void {
    const thread = this.thread!;
    const other = otherParticipant(thread, this.session);
    this.header.replaceChildren(
      el("button", { type: "button", class: "back secondary", "aria-label": "Back to threads", onclick: this.back }, "←"),
      el(
        "div",
        { class: "conversation-title" },
        el("h2", {}, other.user.username),
        this.presence?.element,
        el("p", { class: "profile" }, other.profile, thread.job !== null ? ` · Job #${thread.job}` : "", thread.is_active ? "" : " · closed"),
      ),
      renderThreadActions(thread, this.session.userId, this.api, (m) => this.list.merge([m], "new")),
    );
  }
}
