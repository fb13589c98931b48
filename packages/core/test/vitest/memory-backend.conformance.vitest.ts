import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryBackend } from '../../src/backend/memory-backend.js';
import { defineBackendConformance } from '../../src/testing/index.js';

defineBackendConformance(
  { describe, it, beforeEach, afterAll, expect },
  'InMemoryBackend under vitest',
  () => new InMemoryBackend(),
  { createBackendWithClock: (clock) => new InMemoryBackend({ clock }) },
);
