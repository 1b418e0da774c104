export { TopicTracker, MAX_TOPIC_LENGTH, type TopicTrackerOptions } from './topic-tracker.js';
export { topicCommand } from './topic-command.js';
export { topicFromTitle, topicKey } from './title.js';
