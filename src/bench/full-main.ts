/**
 * The CLI without its lean forwarding path: main() with every module, as each command ran
 * before that path existed. The bench uses it as the baseline for a forwarded command.
 */
import { main } from '../main.js';

process.exitCode = await main(process.argv.slice(2));
