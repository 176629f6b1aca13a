// Owns the public entry point of the demo-estate seed generator.
export * from './estate';
