export { createLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from './local-runtime.js';
