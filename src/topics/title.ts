import { cleanChatText } from '../core/index.js';
import { MAX_TOPIC_LENGTH } from './topic-tracker.js';

/**
 * A stream title as a topic: what streamers add around the subject is left out: "LIVE", "🔴",
 * bracketed tags ("[EN]", "(day 3)" stays), chat commands ("!notes"), and trailing parts after
 * " | " or " - " that hold only such things, start with a command or give a schedule. Empty when nothing is left.
 *
 *   "🔴 LIVE: Attention from scratch | !notes !discord"  → "Attention from scratch"
 *   "[EN] Building a tokenizer (day 3) - Mon/Wed/Fri"     → "Building a tokenizer (day 3)"
 */
export function topicFromTitle(title: string): string {
  let t = cleanChatText(title, 400).text;
  // Emoji and pictographs, then the usual live markers.
  t = t.replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, ' ');
  t = t.replace(/\[[^\]]{0,12}\]/g, ' ');
  // "LIVE", "LIVE NOW", "NOW LIVE" as whole words, before a separator or in capitals ("Liveness …",
  // "Livewire …", "Streaming algorithms" are subjects).
  t = t.replace(/^\s*(?:(?:live(?: now)?|now live|streaming)\s*[:!\-–|]+|(?:LIVE(?: NOW)?|NOW LIVE)\b)\s*/i, (m) => (/[:!\-–|]|^\s*[A-Z ]+$/.test(m) ? '' : m));
  // Trailing parts that are chat commands, links, days or times.
  // Parts and the separators between them (kept, to join back what stays as it was).
  const parts = t.split(/(\s+[|–-]\s+|\s+\|\s*)/);
  const noise = (p: string) =>
    /^\s*$/.test(p) ||
    // A part that starts with a chat command is a call to action ("!q your questions", "!discord for the code").
    /^\s*!\w+/.test(p) ||
    /https?:\/\/|www\./i.test(p) ||
    /^\s*(?:(?:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|daily|weekdays)\b[\s/,&]*)+(?:\s*\d.*)?$/i.test(
      p,
    ) ||
    /^\s*\d{1,2}(?::\d{2})?\s*(?:am|pm|utc|cet|est|pst)\b/i.test(p);
  while (parts.length > 2 && noise(parts[parts.length - 1]!)) parts.splice(-2);
  t = parts.join('').replace(/(?:\s+!\w+)+\s*$/, '');
  t = t
    .replace(/\s+/g, ' ')
    .replace(/^[\s:|–-]+|[\s:|–-]+$/g, '')
    .trim();
  return [...t].slice(0, MAX_TOPIC_LENGTH).join('').trim();
}

/**
 * What two topics must share to be one across streams: case, spacing, Unicode form and the
 * punctuation that ends a title ("Attention!", "attention") aside; symbols that name something
 * stay ("C++", "C#" and "C" are three topics). Empty for a title with no letter or digit.
 */
export function topicKey(title: string): string {
  const key = title
    .normalize('NFKC')
    .toLocaleLowerCase('en')
    .replace(/\s+/g, ' ')
    .replace(/[\s!?.,:;…]+$/u, '')
    .replace(/^[\s!?.,:;…]+/u, '')
    .trim();
  return /[\p{L}\p{N}]/u.test(key) ? key : '';
}
