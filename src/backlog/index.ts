export { Backlog, type BacklogEntry, type BacklogOptions, type EntryState, type Link, type ListOptions } from './backlog.js';
export { backlogScore, engagement, DEFAULT_HALF_LIFE_DAYS, type Engagement } from './rank.js';
export { FollowUps, followUpText, type FollowUpOptions } from './follow-ups.js';
export { TopicActivity } from './topic-activity.js';
export { engagementReport, paidText, type EngagementReport, type TopicInStream, type TopicSummary, type Paid } from './engagement.js';
export { topicsReport } from './report.js';
export { backlogDraft } from './draft.js';
