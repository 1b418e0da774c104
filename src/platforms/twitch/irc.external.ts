/**
 * The raw shape tmi.js hands us after parsing a line and normalising its tags ('1'/'0' become
 * booleans, `badges` an object, escapes undone). Only this folder sees it.
 */
export interface TmiIrcMessage {
  raw?: string;
  prefix: string | null;
  command: string;
  params: string[];
  tags: Record<string, unknown>;
}
