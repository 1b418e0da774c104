import type { ChatEvent } from '../core/index.js';

const INTERROGATIVE = /^(what|why|how|when|where|who|whom|whose|which|is|are|was|were|can|could|should|would|will|do|does|did|has|have|had|isn'?t|aren'?t|doesn'?t|don'?t|didn'?t|won'?t|wouldn'?t|shouldn'?t|couldn'?t|can'?t)\b/i;

export interface DetectOptions {
  readonly prefix: string;
  readonly minWords: number;
}

/**
 * A question asked in ordinary chat, or with a Super Chat or a cheer (whose cheermotes are already
 * gone from the text): a question mark or an interrogative opening, enough words, not a command,
 * not addressed to another viewer, not a system message, not a Shared Chat copy of another channel.
 */
export function looksLikeQuestion(event: ChatEvent, opts: DetectOptions): boolean {
  if ((event.kind !== 'message' && event.kind !== 'paid-message') || event.action || event.sharedFrom) return false;
  const text = event.text.trim();
  if (!text || text.startsWith(opts.prefix)) return false;
  // Replies and @mentions are conversations between viewers, not questions to the streamer.
  if (event.replyTo || text.startsWith('@')) return false;
  // The cheap tests first: most chat lines are not questions and stop here.
  if (!text.includes('?') && !INTERROGATIVE.test(text)) return false;
  let words = 0;
  for (const w of text.split(' ')) if (/[\p{L}\p{N}]/u.test(w) && ++words >= opts.minWords) return true;
  return false;
}
