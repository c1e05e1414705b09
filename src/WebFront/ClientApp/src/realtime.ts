import * as signalR from "@microsoft/signalr";
import type { Message, MessageDeleted, MessagesDelivered, MessagesRead, PresenceChanged, Reaction, ReactionUpdated, Thread, TypingIndicator, UnreadCount } from "./types";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline" | "expired";

/** The hub's events (spec §5) and their payloads. */
export interface ChatEvents {
  chat_message: (message: Message) => void;
  message_edited: (message: Message) => void;
  message_deleted: (deleted: MessageDeleted) => void;
  messages_read: (read: MessagesRead) => void;
  messages_delivered: (delivered: MessagesDelivered) => void;
  reaction_updated: (reaction: ReactionUpdated) => void;
  typing_indicator: (typing: TypingIndicator) => void;
  unread_count: (unread: UnreadCount) => void;
  thread_updated: (thread: Thread) => void;
  presence: (presence: PresenceChanged) => void;
}

/** 0, 1, 2, 4, 8 then 10 s, with jitter so many clients of a restarted front do not return in lockstep. */
function backoff(attempt: number): number {
  if (attempt === 0) return 0;
  const base = Math.min(10_000, 500 * 2 ** attempt);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * One SignalR connection for all of the user's threads. A new connection (after a reconnect or a restart) has no
 * joined threads on the server, so every (re)connect asks the views to re-join with their last seen seq.
 */
export class ChatConnection {
  private readonly connection: signalR.HubConnection;
  private readonly stateListeners = new Set<(state: ConnectionState, retryInMs?: number) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private current: ConnectionState = "connecting";
  private restartAttempt = 0;
  private stopped = false;

  constructor(
    token: () => string,
    private readonly sessionValid: () => boolean,
  ) {
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/chat", { accessTokenFactory: token })
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: (context) => (this.sessionValid() ? backoff(context.previousRetryCount) : null),
      })
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    this.connection.onreconnecting(() => this.setState("reconnecting"));
    this.connection.onreconnected(() => this.connected());
    // Automatic reconnect gave up (or the server closed for good): start over, also with backoff.
    this.connection.onclose(() => this.scheduleRestart());
  }

  get state(): ConnectionState {
    return this.current;
  }

  get isConnected(): boolean {
    return this.connection.state === signalR.HubConnectionState.Connected;
  }

  on<K extends keyof ChatEvents>(name: K, handler: ChatEvents[K]): void {
    this.connection.on(name, handler as (...args: unknown[]) => void);
  }

  onState(listener: (state: ConnectionState, retryInMs?: number) => void): void {
    this.stateListeners.add(listener);
    listener(this.current);
  }

  /** Called after every successful connect or reconnect. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.stopped || this.connection.state !== signalR.HubConnectionState.Disconnected) return;
    this.setState("connecting");
    try {
      await this.connection.start();
      this.connected();
    } catch {
      this.scheduleRestart();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.connection.stop();
  }

  join(threadId: number, afterSeq: number | null): Promise<Message[]> {
    return this.connection.invoke<Message[]>("JoinThread", threadId, afterSeq);
  }

  async leave(threadId: number): Promise<void> {
    if (this.isConnected) await this.connection.invoke("LeaveThread", threadId).catch(() => undefined);
  }

  send(threadId: number, payload: { message: string; client_message_id: string; reply_to?: number; attachments?: number[] }): Promise<Message> {
    return this.connection.invoke<Message>("SendMessage", threadId, payload);
  }

  markRead(threadId: number, upToSeq: number): Promise<{ marked: number; unread_count: number }> {
    return this.connection.invoke("MarkRead", threadId, { up_to_seq: upToSeq });
  }

  markDelivered(threadId: number, upToSeq: number): Promise<{ delivered_up_to_seq: number }> {
    return this.connection.invoke("MarkDelivered", threadId, upToSeq);
  }

  /** Adds or removes the user's reaction; answers the message's reactions as this user sees them (spec §7). */
  react(messageId: number, emoji: string, add: boolean): Promise<Reaction[]> {
    return this.connection.invoke<Reaction[]>("React", messageId, emoji, add);
  }

  /** Best effort: a lost typing flag expires on the server by itself. */
  typing(threadId: number, isTyping: boolean): void {
    if (this.isConnected) this.connection.send("Typing", threadId, isTyping).catch(() => undefined);
  }

  private connected(): void {
    this.restartAttempt = 0;
    this.setState("connected");
    for (const listener of this.resyncListeners) listener();
  }

  private scheduleRestart(): void {
    if (this.stopped) return;
    if (!this.sessionValid()) {
      this.setState("expired");
      return;
    }
    const delay = Math.max(1000, backoff(++this.restartAttempt));
    this.setState("offline", delay);
    window.setTimeout(() => void this.start(), delay);
  }

  private setState(state: ConnectionState, retryInMs?: number): void {
    this.current = state;
    for (const listener of this.stateListeners) listener(state, retryInMs);
  }
}

/** Splits a HubException ("An error occurred … HubException: 422: detail") into status and detail; status 0 = connection. */
export function hubError(error: unknown): { status: number; detail: string } {
  const text = error instanceof Error ? error.message : String(error);
  const match = /HubException: (\d{3}): (.*)$/s.exec(text);
  return match ? { status: Number(match[1]), detail: match[2] } : { status: 0, detail: text };
}
