import type { OutputOf, ParsedInputOf, RequestName } from '../../shared/contract';
import type { Result } from '../../shared/contract/result';
import type { Store } from './store/store';

/** What every handler may use. Handlers read the clock only through `now` so tests can fix it. */
export interface HandlerContext {
  store: Store;
  now(): number;
}

export type Handler<K extends RequestName> = (
  input: ParsedInputOf<K>,
  ctx: HandlerContext,
) => Result<OutputOf<K>> | Promise<Result<OutputOf<K>>>;

export type FeatureHandlers<K extends RequestName> = { [P in K]: Handler<P> };
