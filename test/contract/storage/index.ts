/**
 * The storage contract suite: every Storage implementation registers it from its own test file,
 * `storageContract(makeStorage)`, then adds its own cases. Groups live one per file.
 */
import { cacheContract } from './cache';
import { ContractCapabilities, MakeStorage } from './context';
import { logContract } from './logs';
import { runQueryContract } from './run-queries';
import { runContract } from './runs';
import { taskContract } from './tasks';
import { workflowContract } from './workflows';

export type { ContractCapabilities, MakeStorage } from './context';
export { cacheContract, logContract, runContract, runQueryContract, taskContract, workflowContract };

/**
 * Registers every group of the storage contract inside one `describe`.
 * @param makeStorage makes a fresh storage for each test, see MakeStorage.
 * @param capabilities overrides what the storage declares (e.g. `{ wordSearch: true }`); absent
 *   fields are read from `storage.capabilities`.
 */
export function storageContract(makeStorage: MakeStorage, capabilities?: ContractCapabilities): void {
  describe('Storage contract', () => {
    workflowContract(makeStorage, capabilities);
    runContract(makeStorage, capabilities);
    runQueryContract(makeStorage, capabilities);
    taskContract(makeStorage, capabilities);
    logContract(makeStorage, capabilities);
    cacheContract(makeStorage, capabilities);
  });
}
