import { MemoryStorage } from '../src/index.js';
import { runStorageConformance } from '../src/conformance.js';

runStorageConformance('MemoryStorage', { open: () => Promise.resolve(new MemoryStorage()) });
