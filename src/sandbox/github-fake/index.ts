export { startGitHubFake, type GitHubFake } from './github-fake.js';
export type * from './types.js';
