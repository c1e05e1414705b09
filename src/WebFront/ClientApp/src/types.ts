// Wire shapes of the chat API (shared/spec/API.md §2 and §5), snake_case as on the wire.

export type Role = "client" | "freelancer" | "admin" | "service";

export interface UserRef {
  id: number;
  username: string;
}

export interface Thread {
  id: number;
  client: { id: number; user: UserRef; company_name?: string | null };
  freelancer: { id: number; user: UserRef; title?: string | null; rate?: string | null };
  job: number | null;
  created_at: string;
  last_message_at: string | null;
  is_active: boolean;
  last_message: { id: number; seq: number; message: string; sent_at: string } | null;
  unread_count: number;
  last_seq: number;
  is_muted: boolean;
  is_archived: boolean;
  /** The caller's own pin (spec §7); pinned threads come first in the caller's list. */
  is_pinned?: boolean;
  /** Whether the other participant has a connection open now (spec §8; read at render time). */
  other_online?: boolean;
}

export type MessageType = "text" | "system" | "payment" | "dispute" | "job_update";

export interface Message {
  id: number;
  thread: number;
  seq: number;
  sender: UserRef;
  message: string;
  message_type: MessageType;
  sent_at: string;
  edited_at: string | null;
  is_edited: boolean;
  is_deleted: boolean;
  is_read: boolean;
  /** Own messages: the other participant got it (spec §7); others' messages: true. */
  is_delivered?: boolean;
  metadata: Record<string, unknown> | null;
  client_message_id?: string | null;
  /** The quoted parent, current as of this rendering (spec §7), or null when not a reply. */
  reply_to?: ReplyQuote | null;
  /** Ordered by first use; `me` = the signed-in user reacted. Empty on deleted messages. */
  reactions?: Reaction[];
  /** Files sent with the message (spec §8); `[]` when none. */
  attachments?: Attachment[];
}

/** A file on a message; `url` needs the bearer token, so the client fetches it and shows a blob: URL. */
export interface Attachment {
  id: number;
  file_name: string;
  content_type: string;
  size: number;
  url: string;
}

/** The upload's answer (201): the attachment, not yet on a message, plus its hash. */
export interface UploadedAttachment extends Attachment {
  sha256: string;
}

export interface ReplyQuote {
  id: number;
  seq: number;
  sender: UserRef;
  /** The parent's current text cut to 200 code points; "" once the parent is deleted. */
  message: string;
  is_deleted: boolean;
}

export interface Reaction {
  emoji: string;
  count: number;
  me: boolean;
}

export interface ReactionUpdated {
  thread: number;
  message_id: number;
  seq: number;
  emoji: string;
  count: number;
  user: UserRef;
  added: boolean;
}

export interface MessageVersion {
  version: number;
  message: string;
  metadata: Record<string, unknown> | null;
  at: string;
}

export interface SearchPage {
  results: Message[];
  next: string | null;
}

export interface ThreadPage {
  count: number;
  next: string | null;
  previous: string | null;
  results: Thread[];
}

export interface MessagePage {
  results: Message[];
  has_more: boolean;
  next: string | null;
  previous: string | null;
}

export interface MessagesDelivered {
  thread: number;
  user: UserRef;
  up_to_seq: number;
}

export interface MessageDeleted {
  id: number;
  thread: number;
  seq: number;
}

export interface MessagesRead {
  thread: number;
  message_ids: number[];
  reader: string;
  up_to_seq?: number;
}

export interface TypingIndicator {
  thread: number;
  user: string;
  is_typing: boolean;
}

export interface UnreadCount {
  unread_count: number;
  thread: number;
  thread_unread_count: number;
}

export interface Profile {
  id: number;
  username: string;
  role: Role;
  company_name?: string | null;
  title?: string | null;
  rate?: string | null;
}

/** GET …/users/{id}/presence/ (spec §8). */
export interface PresenceStatus {
  user: number;
  online: boolean;
  last_seen_at: string | null;
}

/** The hub's `presence` event (spec §8): sent once a change has lasted 5 s, to the user's thread partners. */
export interface PresenceChanged {
  user: UserRef;
  online: boolean;
  last_seen_at: string | null;
}
