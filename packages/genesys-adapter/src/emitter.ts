/**
 * A small typed event emitter, the one every hand-written listener list in this package uses. It imports nothing, so
 * it can move to core as it is.
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
export function createEmitter<Events extends object>(onListenerError: (name: keyof Events, error: unknown) => void = () => {}): Emitter<Events> {
  type Listener = (payload: never, name: keyof Events) => void;
  const byName = new Map<keyof Events, Set<Listener>>();
  const any = new Set<Listener>();

  const add = (set: Set<Listener>, listener: Listener) => {
    set.add(listener);
    return () => void set.delete(listener);
  };
  const call = (listeners: Listener[], name: keyof Events, payload: unknown) => {
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
      let set = byName.get(name);
      if (!set) byName.set(name, (set = new Set()));
      return add(set, listener as Listener);
    },
    onAny(listener) {
      return add(any, listener as Listener);
    },
    emit(name, payload) {
      const own = byName.get(name);
      if (own) call([...own], name, payload);
      if (any.size > 0) call([...any], name, payload);
    },
    clear() {
      byName.clear();
      any.clear();
    },
  };
}
