import { startInMemoryHarness } from './fixture.js';
import { describeProtocolFlow } from './protocol-flow.js';

describeProtocolFlow('the in-memory transport', startInMemoryHarness);
