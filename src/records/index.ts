export { backUp, backupPath, listBackups, pruneBackups, stamp, type BackupFile } from './backups.js';
export { restoreDatabase, restoreProblem, type RestoreResult } from './restore.js';
export { nameKey, resolveViewer, viewerById, type AccountSummary, type Resolution, type Viewer } from './viewers.js';
export { describeForget, forgetViewer, places, type ForgetOutcome, type ForgetReport, type QuestionPlace } from './forget.js';
