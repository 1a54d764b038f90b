/**
 * Pure clinical arithmetic of Reservoir: units, calendar dates, prescriptions and flow rates,
 * reservoir levels, refill checks, schedules, limits, the chart series and the worklist.
 * No I/O, no clock (pass `today` / `nowMs` in), no DOM, no Node.
 */
export * from './units';
export * from './calendar';
export * from './flow';
export * from './drugs';
export * from './devices';
export * from './prescription';
export * from './reservoir';
export * from './refill';
export * from './schedule';
export * from './limits';
export * from './worklist';
export * from './chart';
export type { Rational } from './rational';
