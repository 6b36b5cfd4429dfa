import { describe, expect, it } from 'vitest';
import { HubAddressBook, type HubListStore } from './hub-address-book.js';

const A = 'wss://a.example:10000';
const B = 'wss://b.example:10000';
const C = 'wss://c.example:10000';
const PROXY = 'wss://proxy.example:443';

function memoryList(initial: string[] = []): HubListStore & { saved: string[] } {
  const box = { saved: [...initial] };
  return Object.assign(box, {
    list: () => [...box.saved],
    replace: (urls: readonly string[]) => {
      box.saved = [...urls];
      return true;
    },
  });
}

/** A random source that returns the given values in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe('HubAddressBook (protocol.md R45)', () => {
  it('dials the configured hub when no list is known', () => {
    const book = new HubAddressBook(A, memoryList());
    expect(book.url()).toBe(A);
    expect(book.failed()).toBe(A);
  });

  it('starts on a random listed hub, read from the store, so a fleet spreads out', () => {
    const starts = new Set<string>();
    for (const r of [0, 0.4, 0.9]) starts.add(new HubAddressBook(A, memoryList([A, B, C]), () => r).url());
    expect([...starts].sort()).toEqual([A, B, C]);
  });

  it('saves the list of a welcome and moves off the answering cloudcore when the link drops', () => {
    const store = memoryList();
    const book = new HubAddressBook(A, store, sequence(0));
    book.connected([A, B, C]);
    expect(store.saved).toEqual([A, B, C]);
    expect([B, C]).toContain(book.failed());
  });

  it('tries every listed hub once, then the fallback, then starts a new round', () => {
    const book = new HubAddressBook(PROXY, memoryList([A, B]), sequence(0));
    expect(book.url()).toBe(A);
    expect(book.failed()).toBe(B);
    expect(book.failed()).toBe(PROXY);
    expect([A, B]).toContain(book.failed());
  });

  it('spreads the edges of a dead cloudcore over the survivors', () => {
    const landed = new Set<string>();
    for (const r of [0, 0.99]) {
      const book = new HubAddressBook(A, memoryList(), () => r);
      book.connected([A, B, C]);
      landed.add(book.failed());
    }
    expect([...landed].sort()).toEqual([B, C]);
  });

  it('a new round starts after a welcome: the hub that failed before may be tried again', () => {
    const book = new HubAddressBook(A, memoryList([A, B]), sequence(0));
    book.failed(); // A failed → B
    book.connected([B, A]);
    expect(book.failed()).toBe(A);
  });

  it('an update replaces the list and names the answering cloudcore', () => {
    const store = memoryList([A]);
    const book = new HubAddressBook(A, store, sequence(0));
    book.connected([A]);
    book.update([A, C]);
    expect(store.saved).toEqual([A, C]);
    expect(book.list()).toEqual([A, C]);
    expect(book.failed()).toBe(C);
  });

  it('one cloudcore behind the configured URL: its restart brings the edge back to it', () => {
    const book = new HubAddressBook(`${A}/`, memoryList([A]), sequence(0));
    book.connected([A]);
    expect(book.failed()).toBe(A);
  });

  it('an edge that reaches the cloud by an address the cloud does not publish keeps to it and keeps no list', () => {
    const store = memoryList();
    const book = new HubAddressBook(PROXY, store, sequence(0));
    book.connected([A, B]);
    expect(store.saved).toEqual([]);
    expect(book.failed()).toBe(PROXY);
    // The same at a restart over an older list: the welcome through the proxy clears it.
    const restarted = new HubAddressBook(PROXY, memoryList([PROXY]), sequence(0));
    restarted.connected([A]);
    expect(restarted.list()).toEqual([]);
  });

  it('the list survives the expiry of the configured hub once the edge is on a listed one', () => {
    const store = memoryList();
    const book = new HubAddressBook(A, store, sequence(0));
    book.connected([A, B]);
    book.failed(); // A died → B
    book.connected([B]);
    expect(store.saved).toEqual([B]);
    expect(new HubAddressBook(A, store, sequence(0)).url()).toBe(B);
  });
});
