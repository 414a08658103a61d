export { allows, type Role } from '../core/domain/roles.js';
