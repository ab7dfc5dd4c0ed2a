/**
 * An undici dispatch handler that reads a response and drops it: for fire-and-forget messages
 * (answers to server requests), whose responses say nothing the run needs.
 */
import type { Dispatcher } from 'undici';

export const DISCARD = {
  onConnect() {},
  onHeaders: () => true,
  onData: () => true,
  onComplete() {},
  onError() {},
} as unknown as Dispatcher.DispatchHandler;
