// vitest setup file: each test file starts with no shared limiter, as it would in a process of its
// own (the package's test files share one module graph: isolate: false).
import { forgetSharedLimiters } from '../request-limiter.js';

forgetSharedLimiters();
