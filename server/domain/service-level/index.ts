// Owns the public surface of service level management's pure rules.
export * from './types.js';
export * from './calendar.js';
export * from './availability.js';
export * from './validate.js';
