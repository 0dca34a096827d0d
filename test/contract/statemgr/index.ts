/**
 * The state manager contract: every implementation registers it unchanged, with its capabilities.
 * Usage: `stateManagerContract(async () => ({ stateManager, cleanup }), stateManager.capabilities)`.
 */
import { StateManagerCapabilities } from '../../../src/plugins/statemgr/statemgr';
import { MakeStateManager } from './harness';
import { kvContract } from './kv';
import { lockContract } from './locks';

export { contractTimings, MakeStateManager, StateManagerUnderTest } from './harness';

export function stateManagerContract(make: MakeStateManager, capabilities: StateManagerCapabilities): void {
  describe('StateManager contract', () => {
    lockContract(make, capabilities);
    kvContract(make, capabilities);
  });
}
