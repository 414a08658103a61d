export { claudeSessionFiles, processAlive, type ClaudeSessionFilesOptions } from './claude-session-files.js';
