import type { Logger } from '@kaa/core';
import { createEmitter, redact } from '@kaa/core';
import type { EventOf, NotificationEvent, NotificationEventType } from './types.js';

type EventMap = { [T in NotificationEventType]: EventOf<T> };

/** The notification events as listeners and as async iterables that end when the emitter closes. */
export interface NotificationEmitter {
  /** Synchronous from the socket frame to the listeners (the transcript relay posts to the widget in the same task). */
  emit(event: NotificationEvent): void;
  on<T extends NotificationEventType>(type: T, listener: (event: EventOf<T>) => void): () => void;
  /** Events of one type (or all), queued until read. */
  events<T extends NotificationEventType>(type?: T): AsyncIterableIterator<EventOf<T>>;
  /** Ends every iterator and removes every listener; iterators made afterwards are already done. */
  close(): void;
}

/** Creates the {@link NotificationEmitter}; a listener that throws is logged (redacted) and skipped. */
export function createNotificationEmitter(logger: Logger): NotificationEmitter {
  const emitter = createEmitter<EventMap>((type, error) =>
    logger.error('notification handler threw', { type, reason: redact(String(error)) }),
  );
  const iterators = new Set<() => void>();
  let closed = false;

  return {
    emit: (event) => emitter.emit(event.type, event as never),
    on: (type, listener) => emitter.on(type, listener as (event: EventMap[typeof type]) => void),
    events<T extends NotificationEventType>(type?: T): AsyncIterableIterator<EventOf<T>> {
      const queue: EventOf<T>[] = [];
      const waiting: ((r: IteratorResult<EventOf<T>>) => void)[] = [];
      let done = closed;
      const deliver = (event: NotificationEvent) => {
        const w = waiting.shift();
        if (w) w({ value: event as EventOf<T>, done: false });
        else queue.push(event as EventOf<T>);
      };
      const remove = type === undefined ? emitter.onAny(deliver) : emitter.on(type, deliver);
      const end = () => {
        done = true;
        remove();
        iterators.delete(end);
        for (const w of waiting.splice(0)) w({ value: undefined, done: true });
      };
      iterators.add(end);
      const it: AsyncIterableIterator<EventOf<T>> = {
        next() {
          const v = queue.shift();
          if (v) return Promise.resolve({ value: v, done: false });
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => waiting.push(resolve));
        },
        return() {
          end();
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]() {
          return it;
        },
      };
      return it;
    },
    close() {
      closed = true;
      for (const end of [...iterators]) end();
      emitter.clear();
    },
  };
}
