/**
 * The one typed event emitter of kaa: every listener list in the adapters (the widget host's events, the Genesys
 * notifications and client-app lifecycle) is one of these.
 */

/**
 * Listeners per event name, `Events` mapping each name to its payload.
 *
 * @example
 * ```ts
 * const emitter: Emitter<{ ready: void; error: Error }> = createEmitter();
 * const off = emitter.on('error', (error) => console.warn(error.message));
 * emitter.emit('error', new Error('boom'));
 * off();
 * ```
 */
export interface Emitter<Events extends object> {
  /** Adds a listener of one event; returns its remover. */
  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): () => void;
  /** Adds a listener of every event (called after the listeners of the event itself); returns its remover. */
  onAny(listener: (payload: Events[keyof Events], name: keyof Events) => void): () => void;
  /**
   * Calls the listeners registered when the call starts, synchronously and in the order they were added. A listener
   * that throws is reported to `onListenerError` and the others still run.
   */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void;
  /** Removes every listener. */
  clear(): void;
}

/**
 * Creates an {@link Emitter}. `onListenerError` hears what a listener threw (default: ignored), so that a faulty
 * listener can never break the code that emits.
 *
 * @example
 * ```ts
 * const emitter = createEmitter<{ stop: void }>((name, error) => logger.error(`a ${String(name)} listener threw`, { error }));
 * emitter.on('stop', () => cleanUp());
 * emitter.emit('stop', undefined);
 * ```
 */
export function createEmitter<Events extends object>(
  onListenerError: (name: keyof Events, error: unknown) => void = () => {},
): Emitter<Events> {
  type Listener = (payload: never, name: keyof Events) => void;
  // Copy on write: adding or removing a listener makes a new array, so an emit walks the array it started with and
  // allocates nothing (the transcript relay emits once per socket frame). A listener is held once, like in a Set.
  const byName = new Map<keyof Events, readonly Listener[]>();
  let any: readonly Listener[] = [];
  const withOne = (list: readonly Listener[] = [], listener: Listener) =>
    list.includes(listener) ? list : [...list, listener];
  const without = (list: readonly Listener[] = [], listener: Listener) => list.filter((l) => l !== listener);
  const call = (listeners: readonly Listener[], name: keyof Events, payload: unknown) => {
    for (const listener of listeners) {
      try {
        (listener as (payload: unknown, name: keyof Events) => void)(payload, name);
      } catch (error) {
        onListenerError(name, error);
      }
    }
  };

  return {
    on(name, listener) {
      byName.set(name, withOne(byName.get(name), listener as Listener));
      return () => void byName.set(name, without(byName.get(name), listener as Listener));
    },
    onAny(listener) {
      any = withOne(any, listener as Listener);
      return () => void (any = without(any, listener as Listener));
    },
    emit(name, payload) {
      const own = byName.get(name);
      if (own) call(own, name, payload);
      if (any.length > 0) call(any, name, payload);
    },
    clear() {
      byName.clear();
      any = [];
    },
  };
}
