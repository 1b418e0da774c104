-- Paid questions: what each asker paid, as the platform stated it (never converted between
-- currencies), and on the question the payment of its best-paying asker, which ranking uses.
ALTER TABLE question_askers ADD COLUMN paid_amount REAL;
ALTER TABLE question_askers ADD COLUMN paid_currency TEXT;
ALTER TABLE question_askers ADD COLUMN paid_display TEXT;
ALTER TABLE question_askers ADD COLUMN paid_tier INTEGER NOT NULL DEFAULT 0;
ALTER TABLE questions ADD COLUMN paid_platform TEXT;
ALTER TABLE questions ADD COLUMN paid_amount REAL;
ALTER TABLE questions ADD COLUMN paid_currency TEXT;
ALTER TABLE questions ADD COLUMN paid_display TEXT;
ALTER TABLE questions ADD COLUMN paid_tier INTEGER NOT NULL DEFAULT 0;

-- Moderation finds questions by the message that asked them and by the viewer: a few times a
-- stream, by scanning the stream's askers. No index is kept for it: every question written (one
-- per question-like chat line) would pay for it.
-- The stream's questions are found through UNIQUE (stream_id, number); a second index on
-- (stream_id, state) only slowed down every insert.
DROP INDEX questions_stream;
