import type { BroadcastChannelLike } from '../src/index.js';

/** An in-memory BroadcastChannel: delivers a structured clone to every other open channel of the same name, asynchronously. */
export class FakeBroadcastChannel implements BroadcastChannelLike {
  static open = new Map<string, Set<FakeBroadcastChannel>>();
  static posted: unknown[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  closed = false;
  constructor(readonly name: string) {
    let set = FakeBroadcastChannel.open.get(name);
    if (!set) FakeBroadcastChannel.open.set(name, (set = new Set()));
    set.add(this);
  }
  postMessage(message: unknown) {
    if (this.closed) throw new Error('InvalidStateError: channel closed');
    FakeBroadcastChannel.posted.push(message);
    for (const other of FakeBroadcastChannel.open.get(this.name) ?? []) {
      if (other === this) continue;
      const data = structuredClone(message);
      queueMicrotask(() => other.onmessage?.({ data }));
    }
  }
  close() {
    this.closed = true;
    FakeBroadcastChannel.open.get(this.name)?.delete(this);
  }
}
