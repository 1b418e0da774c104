export { Timers, TIMER_TICK_MS, type TimerHost, type TimerPlatforms, type TimerRunState, type TimerSpec } from './timers.js';
export { TimerBook, TIMER_NAME, type StoredTimer, type TimerInput, type TimerResult, type TimerStore, type TimerView } from './timer-book.js';
