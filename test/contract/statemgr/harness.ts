/** What a state manager contract test gets from the implementation under test, and its timings. */
import { randomUUID } from 'node:crypto';
import { StateManager, StateManagerCapabilities } from '../../../src/plugins/statemgr/statemgr';

export interface StateManagerUnderTest {
  stateManager: StateManager;
  /** Closes the state manager and frees what `make` set up. */
  cleanup: () => Promise<void>;
}

/** Builds a fresh state manager for each test; tests use random keys, so one server may serve all. */
export type MakeStateManager = () => Promise<StateManagerUnderTest>;

export interface ContractTimings {
  /** Lease and TTL given to short-lived locks and keys. */
  shortMs: number;
  /** How long a test waits for something that must happen after `shortMs`. */
  deadlineMs: number;
}

/**
 * etcd counts leases in whole seconds and rounds small TTLs up to its minimum, so a 's'
 * implementation gets 2 s leases and a generous deadline; in-process ones get 100 ms.
 */
export function contractTimings(capabilities: StateManagerCapabilities): ContractTimings {
  const shortMs = capabilities.leaseGranularity === 's' ? 2_000 : 100;
  return { shortMs, deadlineMs: shortMs * 20 };
}

/** A prefix no other test uses. */
export function randomPrefix(): string {
  return `contract/${randomUUID()}/`;
}

/** Declares `current()` to hold a fresh state manager during each test of the enclosing describe. */
export function useStateManager(make: MakeStateManager): () => StateManager {
  let under: StateManagerUnderTest | undefined;
  beforeEach(async () => {
    under = await make();
  });
  afterEach(async () => {
    await under?.cleanup();
    under = undefined;
  });
  return () => {
    if (!under) throw new Error('no state manager: call inside a test');
    return under.stateManager;
  };
}
