import { describeBackendConformance } from './testing/index.js';
import { InMemoryBackend } from './memory-backend.js';

describeBackendConformance('InMemoryBackend', () => new InMemoryBackend());
