// Owns the rule for a discovery source's name, which provenance, ingest stamps and discovery runs all carry.
import { ValidationError } from '../../errors';

// Short and free of `|` and spaces: the name is one field of the `source|hash|kept` stamp stored on CIs.
const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

export function checkSourceName(source: string): void {
  if (!SOURCE_NAME.test(source)) throw new ValidationError('source', 'must be a short name of letters, digits, dot, dash or underscore');
}

// A run's scope is the part of a source it covers (a Kubernetes cluster, a host); kept short, it goes into an
// index with the source name.
const SCOPE = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/;

export function checkRunScope(scope: string): void {
  if (scope !== '' && !SCOPE.test(scope)) throw new ValidationError('scope', 'must be up to 200 letters, digits or . _ : / @ -, starting with a letter or digit');
}
