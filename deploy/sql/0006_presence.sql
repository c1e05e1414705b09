-- Presence across fronts (spec §8). The truth of "who is online" lives here, not in any grain activation, so a
-- silo restart loses nothing: fronts report their connection counts per user (one row per user and front key),
-- and each front holds a lease that it renews every few seconds. A front that stops renewing is declared dead by
-- whichever silo sweeps first, and its rows are then removed user by user through the users' presence grains.
--
-- Nothing here is read or written on the send path: rows change when a hub or WebSocket connection opens or
-- closes, when a front heartbeats (one row per front), and when a presence event goes out.

-- One row per front process key. A key that was declared dead never lives again: the front takes a new key.
CREATE TABLE chat_presence_fronts (
    front_id          text PRIMARY KEY,
    started_at        timestamptz NOT NULL DEFAULT now(),
    last_heartbeat_at timestamptz NOT NULL DEFAULT now(),
    dead_at           timestamptz NULL,
    -- When a sweeper last took on telling this dead front's users (another silo retries after a while).
    swept_at          timestamptz NULL
);

-- A user's open connections on one front (rows with 0 are deleted).
CREATE TABLE chat_presence_connections (
    user_id     bigint  NOT NULL,
    front_id    text    NOT NULL,
    connections integer NOT NULL CHECK (connections > 0),
    version     bigint  NOT NULL,
    PRIMARY KEY (user_id, front_id)
);
CREATE INDEX chat_presence_connections_by_front ON chat_presence_connections (front_id);

-- Per user: when the last connection closed, the username events carry, and what the last event announced.
CREATE TABLE chat_presence_users (
    user_id          bigint PRIMARY KEY,
    username         text NULL,
    last_seen_at     timestamptz NULL,
    announced_online boolean NOT NULL DEFAULT false
);
