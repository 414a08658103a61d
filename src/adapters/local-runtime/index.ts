export {
  createLocalRuntime,
  SHUTDOWN_REASON,
  type CloseOptions,
  type LocalRuntime,
  type LocalRuntimeOptions,
} from './local-runtime.js';
