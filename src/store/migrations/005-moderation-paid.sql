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

-- Moderation finds questions by the message that asked them and by the viewer (deletions, bans).
CREATE INDEX question_askers_message ON question_askers (platform, message_id);
CREATE INDEX question_askers_author ON question_askers (platform, author_id);
CREATE INDEX question_votes_voter ON question_votes (platform, voter_id);
