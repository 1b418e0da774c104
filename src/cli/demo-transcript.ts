// The demo's transcript: what happens in chat and around it, and the backlog, as printed lines.
import type { App } from '../app/index.js';
import { plural } from './io.js';

/** Prints what happens in chat and around it, as the transcript. */
export function narrate(app: App, w: (line: string) => void): void {
  const show = (s: string) => (s.length > 140 ? `${s.slice(0, 137)}...` : s);
  app.bus.on('chat', (e) => {
    if (e.kind === 'deletion' || e.kind === 'ban') return; // told by the question log below
    w(`  [${e.platform}] ${e.author.displayName}${e.paid ? ` (${e.paid.display})` : ''}: ${show(e.text)}${e.truncated ? ' (cut)' : ''}`);
  });
  // Replies are printed whole (a link is never cut); viewers' lines are shortened for reading.
  app.bus.on('reply-sent', (r) => w(`  [${r.platform}] lecternbot → ${r.text}${r.replies > 1 ? `  (${r.replies} answers in one message)` : ''}`));
  app.bus.on('outcome', ({ event, outcome }) => {
    if (outcome.status === 'denied') w(`  (lectern: !${outcome.command} from ${event.author.displayName} not run: ${outcome.code})`);
  });
  app.bus.on('topic-changed', (t) => w(`  (topic is now "${t.title}")`));
  app.bus.on('moderation', (a) =>
    w(
      `  (lectern on ${a.platform}: link to ${a.host} from ${a.viewer} ${a.outcome === 'deleted' ? 'deleted' : a.outcome === 'permitted' ? 'let through: a moderator gave !permit' : `not deleted: ${a.detail}`})`,
    ),
  );
  app.bus.on('question', ({ question: q, change }) => {
    if (change === 'created' && q.source === 'detected') w(`  (question #${q.number} detected in ordinary chat; kept for the dashboard, not announced)`);
    if (change === 'created' && q.paid) w(`  (question #${q.number} came with ${q.paid.display}: it ranks above the same question unpaid)`);
    if (change === 'merged') w(`  (question #${q.number} asked again: now ${q.askerCount} askers)`);
    if (change === 'removed')
      w(`  (question #${q.number} removed: a moderator deleted its message or banned its asker; gone from the queue, overlay and draft)`);
    if (change === 'unvoted') w(`  (a banned viewer's vote on #${q.number} withdrawn)`);
  });
  app.bus.on('platform-status', (s) =>
    w(`  (${s.platform} is ${s.state}${s.sendBlocked ? `, refusing the bot: ${s.sendBlocked}` : s.detail ? `: ${s.detail}` : ''})`),
  );
}

/** The backlog as `lectern backlog` shows it, shortly. */
export function printBacklog(app: App, w: (line: string) => void, title: string): void {
  const { items, total } = app.backlog.backlog.list({ limit: 10 });
  w(title);
  if (total === 0) w('  (empty)');
  if (total > items.length) w(`  (the best ${items.length} of ${total})`);
  for (const i of items)
    w(
      `  #${i.id} ${i.text}  (score ${i.score}: ${plural(i.askerCount, 'asker')}, ${plural(i.votes, 'vote')}, streams ${i.streams.map((s) => `#${s}`).join(' ')}${i.topics.length ? `; ${i.topics.join(', ')}` : ''})`,
    );
}
