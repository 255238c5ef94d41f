import { setLogLevel } from '../../src/shared/logger';

// Specs that build services directly (without startApp) would otherwise log at info.
setLogLevel(process.env.TEST_LOG_LEVEL ?? 'silent');
