import type { CommandContext, CommandDefinition } from '../commands/index.js';
import type { QuestionState } from '../store/index.js';
import { score, type QuestionLog } from './question-log.js';

/** `12`, `#12`: a question number, or undefined. */
export function parseNumber(arg: string | undefined): number | undefined {
  const m = /^#?(\d{1,7})$/.exec(arg ?? '');
  return m ? Number(m[1]) : undefined;
}

const ACK = 'question-ack';

/** `!q <text>` / `!ask <text>`: logs the question and answers with its number. */
export function askCommand(
  log: QuestionLog,
  limits: { readonly maxLength: number; readonly perViewer: { readonly count: number; readonly perMinutes: number } },
): CommandDefinition {
  return {
    name: 'q',
    aliases: ['ask'],
    description: 'asks the streamer a question; it is kept for the Q&A and the blog post',
    usage: 'q <your question>',
    run(ctx) {
      const r = log.ask(ctx.event, ctx.argText, 'command');
      if (r.kind === 'refused') {
        const { count, perMinutes } = limits.perViewer;
        ctx.reply(
          r.reason === 'empty'
            ? `Ask with ${ctx.prefix}q <your question>`
            : r.reason === 'too-long'
              ? `Questions can be at most ${limits.maxLength} characters; try a shorter one.`
              : `You can ask ${count} questions every ${perMinutes} minutes; vote for others with ${ctx.prefix}up <number>.`,
        );
        return;
      }
      const n = r.question.number;
      if (r.kind === 'created') ctx.reply(`noted as #${n}. Others can vote with ${ctx.prefix}up ${n}`, { merge: { key: ACK, short: `#${n}` } });
      else if (r.kind === 'merged')
        ctx.reply(`same as #${n}, now asked by ${r.question.askerCount}`, { merge: { key: ACK, short: `#${n} (${r.question.askerCount} asked)` } });
      else ctx.reply(`you already asked #${n}`, { merge: { key: ACK, short: `#${n} already yours` } });
    },
  };
}

/** `!up <n>` / `!+1 <n>`: one vote per viewer per question, never for your own. */
export function voteCommand(log: QuestionLog): CommandDefinition {
  return {
    name: 'up',
    aliases: ['+1'],
    description: 'votes for a question by its number',
    usage: 'up <number>',
    run(ctx) {
      const n = parseNumber(ctx.args[0]);
      if (n === undefined) {
        ctx.reply(`Vote with ${ctx.prefix}up <number>, for example ${ctx.prefix}up 3`);
        return;
      }
      const r = log.vote(ctx.event, n);
      if (r.kind === 'missing') ctx.reply(`There is no question #${n}.`);
      else if (r.kind === 'own') ctx.reply(`#${n} is your own question; vote for someone else's.`);
      else if (r.kind === 'closed') ctx.reply(r.question.state === 'removed' ? `#${n} is closed.` : `#${n} is already ${r.question.state}.`);
      else if (r.kind === 'voted') ctx.reply(`+1 on #${n} (score ${score(r.question)})`, { merge: { key: ACK, short: `+1 #${n}` } });
      // A second vote for the same question is ignored silently.
    },
  };
}

function stateCommand(log: QuestionLog, name: string, state: QuestionState, aliases: string[]): CommandDefinition {
  return {
    name,
    aliases,
    description: `marks a question ${state} (moderators)`,
    usage: `${name} <number>`,
    permission: 'moderator',
    run(ctx: CommandContext) {
      const n = parseNumber(ctx.args[0]);
      const before = n === undefined ? undefined : log.get(n);
      // Already so: said as it is, nothing changes (a second !answered is not news).
      if (before && before.state === state) return ctx.reply(`#${before.number} is already ${state}.`);
      const q = n === undefined ? undefined : log.setState(n, state);
      ctx.reply(q ? `#${q.number} marked ${state}.` : `Use ${ctx.prefix}${name} <number> with an existing question.`);
    },
  };
}

export const answeredCommand = (log: QuestionLog) => stateCommand(log, 'answered', 'answered', ['answer']);
export const dismissCommand = (log: QuestionLog) => stateCommand(log, 'dismiss', 'dismissed', []);

/** `!questions`: the top three open questions by number and score; never their text. */
export function questionsCommand(log: QuestionLog): CommandDefinition {
  return {
    name: 'questions',
    description: 'the top open questions',
    userCooldownMs: 15_000,
    globalCooldownMs: 5_000,
    run(ctx) {
      const top = log.top(3);
      if (top.length === 0) {
        ctx.reply(`No open questions yet. Ask with ${ctx.prefix}q <your question>`);
        return;
      }
      ctx.reply(`Top questions: ${top.map((q) => `#${q.number} (score ${score(q)})`).join(', ')}. Vote with ${ctx.prefix}up <number>`);
    },
  };
}
