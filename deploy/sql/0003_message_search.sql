-- Full-text search over messages (spec §8). The `simple` configuration: no stemming, no stop words, so every word
-- of every script that separates words with spaces is its own lexeme. The text is lower-cased with the ICU root
-- collation first: `simple` lower-cases with the database's ctype, which is C on the project's clusters and would
-- leave Cyrillic, Greek, ... as typed. The query side lower-cases the same way (SearchStore).
--
-- A stored generated column, not an expression index: it follows every INSERT, edit and tombstone in the same
-- statement (so a message is searchable the moment its send commits, and an edit's old words are gone with it),
-- and a query that walks one thread's messages can test the stored vector without re-parsing the text.
-- Adding it rewrites chat_messages once (an exclusive lock for the duration on a large existing table).

ALTER TABLE chat_messages
    ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', lower(message COLLATE "und-x-icu"))) STORED;

-- The word index; tombstones (text '') are left out and every search query says NOT is_deleted.
CREATE INDEX chat_messages_search ON chat_messages USING gin (search_vector) WHERE NOT is_deleted;

-- Newest-first keyset paging inside the caller's threads (and inside one thread): thread, then id.
CREATE INDEX chat_messages_thread_id ON chat_messages (thread_id, id);
