import { MemoryStorage } from '../../src/plugins/storage/memory';
import { storageContract } from '../contract/storage';

describe('MemoryStorage', () => {
  storageContract(async () => {
    const storage = new MemoryStorage();
    return { storage, cleanup: () => storage.close() };
  });
});
