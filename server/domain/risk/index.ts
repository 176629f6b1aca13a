// Owns the public surface of change risk scoring.
export * from './risk-score.js';
export * from './service-level-factors.js';
