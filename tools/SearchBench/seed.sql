-- The search benchmark's data, generated inside PostgreSQL (no client round trips): :threads threads whose
-- messages are interleaved by id (message g goes to thread g mod threads), texts of 4 … 20 words drawn from a
-- 5,000-word vocabulary with Zipf-like (log-uniform rank) frequencies, 1 % of the messages deleted.
-- Parameters are substituted by the tool as plain integers: @threads, @messages, @clients, @freelancers, @heavy.

CREATE TEMP TABLE bench_vocab AS
SELECT r AS rank,
       CASE r
           WHEN 1 THEN 'the' WHEN 2 THEN 'i' WHEN 3 THEN 'you' WHEN 4 THEN 'to' WHEN 5 THEN 'and'
           WHEN 10 THEN 'please' WHEN 20 THEN 'thanks' WHEN 50 THEN 'design' WHEN 100 THEN 'price'
           WHEN 300 THEN 'invoice' WHEN 1000 THEN 'deadline' WHEN 3000 THEN 'contract'
           ELSE s[1 + r % 40] || s[1 + (r / 40) % 40] || CASE WHEN r >= 1600 THEN s[1 + (r / 1600) % 40] ELSE '' END
       END AS word
FROM generate_series(1, 5000) AS r,
     (SELECT ARRAY['ka','lo','mi','ne','ru','sa','te','vo','zu','pa','qui','ro','ste','fa','gi','ho','ju','ly','mo','nu',
                   'bra','cle','dro','fle','gro','pli','sno','tra','vel','wen','xan','yor','zel','bor','cam','dun','fer','gol','hem','ilk'] AS s) AS syl;

INSERT INTO chat_threads (id, client_id, freelancer_id, job_id, created_at)
SELECT t,
       CASE WHEN t <= 200 THEN @heavy ELSE 1 + t % @clients END,
       1000000 + (t * 7) % @freelancers,
       t,
       timestamptz '2025-01-01' + t * interval '1 second'
FROM generate_series(1, @threads) AS t;

INSERT INTO chat_messages (id, thread_id, seq, sender_id, sender_username, sender_role, message, message_type, sent_at, is_deleted)
SELECT g,
       1 + g % @threads,
       1 + g / @threads,
       CASE WHEN (g / @threads) % 2 = 0 THEN th.client_id ELSE th.freelancer_id END,
       'bench',
       1,
       CASE WHEN g % 100 = 0 THEN '' ELSE array_to_string(ARRAY(
           SELECT v.words[least(5000, floor(exp(random() * ln(5000.0)))::int)]
           FROM generate_series(1, 4 + (g % 17)) AS k), ' ') END,
       'text',
       timestamptz '2025-02-01' + g * interval '1 second',
       g % 100 = 0
FROM generate_series(1, @messages) AS g
     JOIN chat_threads th ON th.id = 1 + g % @threads,
     (SELECT array_agg(word ORDER BY rank) AS words FROM bench_vocab) AS v;

SELECT setval(pg_get_serial_sequence('chat_messages', 'id'), @messages);
SELECT setval(pg_get_serial_sequence('chat_threads', 'id'), @threads);
ANALYZE chat_threads;
ANALYZE chat_messages;
