import { startHttpHarness } from './http-harness.js';
import { describeProtocolFlow } from './protocol-flow.js';

describeProtocolFlow('Streamable HTTP on 127.0.0.1', startHttpHarness);
