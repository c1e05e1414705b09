-- Conversation features (spec §7): replies, reactions, edit history, pins. Delivered cursors live in the thread
-- grain's persisted state beside the read cursors (ParticipantState.DeliveredCursor), so they need no table.
--
-- None of this is read on the send path: a send stays one INSERT per batch whatever a thread's history, reactions
-- or versions hold. Only a send that names reply_to looks its parent up once, by primary key.

-- A reply names its parent; the quote is read from the parent when messages are read, so it follows edits and
-- deletes. A nullable column without a default: adding it rewrites nothing.
ALTER TABLE chat_messages ADD COLUMN reply_to_id bigint NULL;

-- One row per (message, emoji, user). `id` orders emoji by first use.
CREATE TABLE chat_reactions (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    message_id  bigint      NOT NULL,
    emoji       text        NOT NULL,
    user_id     bigint      NOT NULL,
    username    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chat_reactions_pk PRIMARY KEY (message_id, emoji, user_id)
);
CREATE INDEX chat_reactions_by_message ON chat_reactions (message_id, id);

-- Every edit keeps the version it replaced (version 1 = as sent). The current text stays in chat_messages.
CREATE TABLE chat_message_versions (
    message_id  bigint      NOT NULL,
    version     integer     NOT NULL,
    message     text        NOT NULL,
    metadata    jsonb       NULL,
    at          timestamptz NOT NULL,
    CONSTRAINT chat_message_versions_pk PRIMARY KEY (message_id, version)
);

-- Pinned threads, per user (at most 20 each, enforced by the user's grain).
CREATE TABLE chat_thread_pins (
    user_id    bigint      NOT NULL,
    thread_id  bigint      NOT NULL,
    pinned_at  timestamptz NOT NULL,
    CONSTRAINT chat_thread_pins_pk PRIMARY KEY (user_id, thread_id)
);
