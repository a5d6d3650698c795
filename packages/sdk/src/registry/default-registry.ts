import { Registry } from './registry.js';

/** The default registry: metrics register here unless `registers` says otherwise. */
export const register = new Registry();
