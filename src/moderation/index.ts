export { LinkGuard, PERMIT_MS, type LinkGuardOptions, type LinkSettings, type ModerationAction } from './link-guard.js';
export { allowedHost, domainOf, linkHosts } from './links.js';
export { permitCommand } from './commands.js';
