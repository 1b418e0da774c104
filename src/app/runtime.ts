import { createGuard, Health, systemClock, type Clock, type Guard, type Logger } from '../core/index.js';

/**
 * What every long-lived part is given to run: the clock, the logger, the one guard for async
 * boundaries and the health list it reports to (and, in tests, a fixed random source).
 */
export interface Runtime {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly guard: Guard;
  readonly health: Health;
  readonly random?: () => number;
}

export function createRuntime(logger: Logger, clock: Clock = systemClock, random?: () => number): Runtime {
  const health = new Health(clock);
  return { clock, logger, guard: createGuard(logger, health), health, random };
}
