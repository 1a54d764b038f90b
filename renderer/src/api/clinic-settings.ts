/** The clinic settings, one request shared by the screens that need them together (see SharedRequest). */
import type { OutputOf } from '../../../shared/contract';
import type { Result } from '../../../shared/contract/result';
import { call } from './client';
import { SharedRequest } from './shared-request';

const settings = new SharedRequest(() => call('settings.get', {}), 10_000);

/** The clinic settings (asked once for everyone who needs them within 10 s). */
export function clinicSettings(): Promise<Result<OutputOf<'settings.get'>>> {
  return settings.get();
}

/** The settings were just saved: read them afresh next time. */
export function forgetClinicSettings(): void {
  settings.forget();
}
