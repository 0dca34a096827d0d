/**
 * What every behaviour group of the storage contract shares: how a fresh storage is made for each
 * test, and the capability overrides an implementation's test file may pass.
 */
import { randomUUID } from 'node:crypto';
import { Storage, StorageCapabilities } from '../../../src/plugins/storage/storage';

/**
 * Makes a fresh storage for one test. `cleanup` closes it and removes what it wrote (a temp file,
 * an index). Implementations backed by a shared server may keep data across tests: the suite uses
 * random ids and scopes every listing to data of its own test.
 */
export type MakeStorage = () => Promise<{ storage: Storage; cleanup: () => Promise<void> }>;

/** Overrides of what the storage declares in `storage.capabilities`; absent fields are read from it. */
export type ContractCapabilities = Partial<StorageCapabilities>;

export interface StorageFixture {
  /** The storage of the running test. */
  readonly storage: Storage;
  /** The capabilities the running test should assume. */
  readonly capabilities: StorageCapabilities;
}

/** Registers hooks that make a fresh storage before each test and clean it up after. */
export function useStorage(makeStorage: MakeStorage, overrides: ContractCapabilities = {}): StorageFixture {
  let current: { storage: Storage; cleanup: () => Promise<void> } | undefined;
  beforeEach(async () => {
    current = await makeStorage();
  });
  afterEach(async () => {
    const done = current;
    current = undefined;
    await done?.cleanup();
  });
  return {
    get storage() {
      if (!current) throw new Error('storage is only available inside a test');
      return current.storage;
    },
    get capabilities() {
      return { ...this.storage.capabilities, ...overrides };
    },
  };
}

/** A word no other test uses, valid in ids and names: scopes a test's listings to its own data. */
export function uniqueWord(prefix = 'x'): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}
