/** The clinic settings, one request shared by the screens that need them together (see SharedRequest). */
import type { OutputOf } from '../../../shared/contract';
import type { Result } from '../../../shared/contract/result';
import { call } from './client';
import { SharedRequest } from './shared-request';

type ClinicSettings = OutputOf<'settings.get'>;

const settings = new SharedRequest(() => call('settings.get', {}), 10_000);

/** The clinic settings (asked once for everyone who needs them within 10 s). */
export function clinicSettings(): Promise<Result<ClinicSettings>> {
  return settings.get();
}

/** The clinic settings if a fresh answer has already arrived, else null (see SharedRequest.peek). */
export function peekClinicSettings(): ClinicSettings | null {
  return settings.peek();
}

/** The settings were just saved: read them afresh next time. */
export function forgetClinicSettings(): void {
  settings.forget();
}
