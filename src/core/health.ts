import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { toError, isLecternError } from './errors.js';

export interface HealthProblem {
  readonly component: string;
  readonly code: string;
  readonly message: string;
  readonly at: number;
  readonly count: number;
}

/**
 * Where every async boundary reports what went wrong, so the dashboard and `doctor` can show it.
 * Keeps the latest problem per component and code, bounded.
 */
export class Health {
  private readonly problems = new Map<string, HealthProblem>();
  private readonly listeners = new Set<(p: HealthProblem) => void>();
  private readonly resolvedListeners = new Set<(p: HealthProblem) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly capacity = 200,
  ) {}

  report(component: string, err: unknown): HealthProblem {
    const e = toError(err);
    const code = isLecternError(e) ? e.code : 'UNEXPECTED';
    const key = `${component}:${code}`;
    const prev = this.problems.get(key);
    const problem: HealthProblem = { component, code, message: e.message, at: this.clock.now(), count: (prev?.count ?? 0) + 1 };
    this.problems.delete(key);
    this.problems.set(key, problem);
    if (this.problems.size > this.capacity) this.problems.delete(this.problems.keys().next().value as string);
    for (const l of this.listeners) l(problem);
    return problem;
  }

  list(): HealthProblem[] {
    return [...this.problems.values()];
  }

  onProblem(listener: (p: HealthProblem) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A component works again (a message went out after sending failed): its problems are over.
   * Listeners hear of each problem removed. Cheap when there is none: this runs on every success.
   */
  resolve(component: string): void {
    for (const [key, problem] of this.problems) if (problem.component === component) this.drop(key, problem);
  }

  /** The streamer set one problem aside (the dashboard's ×). False when there was no such problem. */
  dismiss(component: string, code: string): boolean {
    const key = `${component}:${code}`;
    const problem = this.problems.get(key);
    if (problem) this.drop(key, problem);
    return problem !== undefined;
  }

  onResolved(listener: (p: HealthProblem) => void): () => void {
    this.resolvedListeners.add(listener);
    return () => this.resolvedListeners.delete(listener);
  }

  private drop(key: string, problem: HealthProblem): void {
    this.problems.delete(key);
    for (const l of this.resolvedListeners) l(problem);
  }
}

export type Guard = <A extends unknown[]>(component: string, fn: (...args: A) => unknown) => (...args: A) => void;

/**
 * The one guard every async boundary goes through: platform callbacks, timers, socket and file
 * handlers. Nothing thrown or rejected inside escapes; it is logged and reported to Health.
 */
export function createGuard(logger: Logger, health: Health): Guard {
  return (component, fn) =>
    (...args) => {
      const fail = (err: unknown) => {
        const problem = health.report(component, err);
        logger.error({ component, code: problem.code, err: toError(err) }, 'handler failed');
      };
      try {
        const result = fn(...args);
        if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).catch(fail);
      } catch (err) {
        fail(err);
      }
    };
}
