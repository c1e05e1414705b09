import type { Api } from "./api";
import type { MessageList } from "./messageList";
import type { ChatConnection } from "./realtime";
import type { Session } from "./session";
import type { MessagesDelivered, MessagesRead } from "./types";

/**
 * Read and delivery receipts of one open thread: marks what this user has read (while the thread is on screen) and
 * what reached this client (spec §7), and turns the other side's receipts into ✓✓ on the user's own messages.
 */
export class Receipts {
  private markReadTimer = 0;
  private markDeliveredTimer = 0;
  private active = false;

  constructor(
    private readonly threadId: number,
    private readonly list: MessageList,
    private readonly api: Api,
    private readonly hub: ChatConnection,
    private readonly session: Session,
  ) {
    document.addEventListener("visibilitychange", this.onVisible);
  }

  /** From the first loaded page on, reading may be marked. */
  start(): void {
    this.active = true;
    this.scheduleMarkRead();
  }

  dispose(): void {
    this.active = false;
    document.removeEventListener("visibilitychange", this.onVisible);
    window.clearTimeout(this.markReadTimer);
    window.clearTimeout(this.markDeliveredTimer);
  }

  /** The other side got my messages up to a seq: their receipts become "delivered". */
  onDelivered(delivered: MessagesDelivered): void {
    if (delivered.user.id === this.session.userId) return;
    for (const message of [...this.list.bySeq.values()]) {
      if (message.sender.id === this.session.userId && !message.is_delivered && message.seq <= delivered.up_to_seq) {
        this.list.update(message.seq, (m) => ({ ...m, is_delivered: true }));
      }
    }
  }

  onRead(read: MessagesRead): void {
    const ids = new Set(read.message_ids);
    const mine = read.reader === this.session.username;
    for (const message of [...this.list.bySeq.values()]) {
      const ownMessage = message.sender.id === this.session.userId;
      // The other side's reads flip my receipts; my own reads (another tab) flip the messages I received.
      if (ownMessage === mine || message.is_read) continue;
      if (ids.has(message.id) || (read.up_to_seq !== undefined && message.seq <= read.up_to_seq)) {
        this.list.update(message.seq, (m) => ({ ...m, is_read: true }));
      }
    }
  }

  private readonly onVisible = () => this.scheduleMarkRead();

  /** Reading happens when the thread is on screen: everything up to the last seen seq becomes read. */
  scheduleMarkRead(): void {
    if (!this.active || document.visibilityState !== "visible") return;
    const unread = [...this.list.bySeq.values()].some((m) => m.sender.id !== this.session.userId && !m.is_read && !m.is_deleted);
    // One pending mark-read at a time, never postponed by further messages: it reads up to the seq seen when it runs.
    if (!unread || this.markReadTimer !== 0) return;
    this.markReadTimer = window.setTimeout(async () => {
      this.markReadTimer = 0;
      const upTo = this.list.lastSeq;
      try {
        await (this.hub.isConnected ? this.hub.markRead(this.threadId, upTo) : this.api.markRead(this.threadId, upTo));
        for (const message of this.list.bySeq.values()) {
          if (message.seq <= upTo && message.sender.id !== this.session.userId) message.is_read = true;
        }
        this.scheduleMarkRead(); // for what arrived while this one ran
      } catch {
        // Retried with the next message or the next reconnect.
      }
    }, 200);
  }

  /** Messages that reached this client are marked delivered, at most once a second per thread (spec §7). */
  scheduleMarkDelivered(): void {
    if (!this.active || this.markDeliveredTimer !== 0) return;
    this.markDeliveredTimer = window.setTimeout(() => {
      this.markDeliveredTimer = 0;
      if (this.hub.isConnected) void this.hub.markDelivered(this.threadId, this.list.lastSeq).catch(() => undefined);
    }, 1000);
  }
}
