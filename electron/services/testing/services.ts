import { afterEach, beforeEach } from 'vitest';
import type { AppError } from '../../../shared/contract/result';
import { createServices, type ReservoirServices } from '../app';
import { tempDir } from './temp';

export interface TestServices {
  /** The services on a fresh database file, new for each test. */
  readonly svc: ReservoirServices;
  /** Dispatches and unwraps, failing the test with the error's code, field and message. */
  must<T = unknown>(name: string, input: unknown): Promise<T>;
  /** Dispatches a request that must be refused, and answers its error. */
  refused(name: string, input: unknown): Promise<AppError>;
  /** The id of a catalog model by name and reservoir volume. */
  deviceId(model: string, reservoirUl: number): Promise<number>;
}

/** Registers beforeEach/afterEach hooks that give each test its own database, clock fixed at `nowMs`. */
export function useTestServices(nowMs = Date.UTC(2026, 2, 1)): TestServices {
  let tmp: ReturnType<typeof tempDir> | null = null;
  let current: ReservoirServices | null = null;
  beforeEach(() => {
    tmp = tempDir();
    const r = createServices({ databasePath: tmp.file('clinic.db'), shell: 'browser', now: () => nowMs });
    if (!r.ok) throw new Error(r.error.message);
    current = r.value;
  });
  afterEach(() => {
    current?.close();
    tmp?.cleanup();
    current = null;
    tmp = null;
  });
  const t: TestServices = {
    get svc() {
      if (current === null) throw new Error('useTestServices: no services outside a test');
      return current;
    },
    async must<T = unknown>(name: string, input: unknown): Promise<T> {
      const r = await t.svc.dispatch(name, input);
      if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.field ?? ''} ${r.error.message}`);
      return r.value as T;
    },
    async refused(name: string, input: unknown): Promise<AppError> {
      const r = await t.svc.dispatch(name, input);
      if (r.ok) throw new Error(`${name} was accepted but should be refused`);
      return r.error;
    },
    async deviceId(model: string, reservoirUl: number): Promise<number> {
      const devices = await t.must<{ id: number; model: string; reservoirUl: number }[]>('devices.list', {});
      return devices.find((d) => d.model === model && d.reservoirUl === reservoirUl)!.id;
    },
  };
  return t;
}
