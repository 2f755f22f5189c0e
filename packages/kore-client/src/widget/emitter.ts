import type { AgentAssistEvents } from './view.js';

/** @internal A tiny typed event hub whose handlers cannot break the host. */
export function createEmitter(onHandlerError: (event: string, error: unknown) => void) {
  const handlers = new Map<keyof AgentAssistEvents, Set<(payload: never) => void>>();
  return {
    on<E extends keyof AgentAssistEvents>(event: E, handler: (payload: AgentAssistEvents[E]) => void): () => void {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler as (payload: never) => void);
      return () => void set.delete(handler as (payload: never) => void);
    },
    emit<E extends keyof AgentAssistEvents>(event: E, payload: AgentAssistEvents[E]): void {
      for (const handler of [...(handlers.get(event) ?? [])]) {
        try {
          (handler as (p: AgentAssistEvents[E]) => void)(payload);
        } catch (error) {
          onHandlerError(event, error);
        }
      }
    },
    clear: () => handlers.clear(),
  };
}
