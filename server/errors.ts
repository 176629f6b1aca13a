// Owns Ripple's error vocabulary: RippleError subclasses with a stable code and, for bad input, the field.
export class RippleError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A failure at start-up that the operator can fix; main prints its message as one line and exits non-zero. */
export class StartupError extends RippleError {
  constructor(message: string) {
    super('STARTUP', message);
  }
}

export class NotFoundError extends RippleError {
  constructor(
    what: string,
    readonly id: string,
    field = 'id',
  ) {
    super('NOT_FOUND', `${what} ${id} not found`, field);
  }
}

export class ValidationError extends RippleError {
  constructor(field: string, reason: string) {
    super('VALIDATION', `${field}: ${reason}`, field);
  }
}

export class ConflictError extends RippleError {
  constructor(
    message: string,
    field?: string,
    readonly existingId?: string,
  ) {
    super('CONFLICT', message, field);
  }
}

/** No credentials, or credentials that prove nothing (unknown, revoked or expired token, bad JWT). */
export class UnauthenticatedError extends RippleError {
  constructor(reason: string) {
    super('UNAUTHENTICATED', `not signed in: ${reason}`);
  }
}

/** Signed in, but without the role a field needs; the message names the role. */
export class ForbiddenError extends RippleError {
  constructor(
    message: string,
    readonly missingRoles: string[],
  ) {
    super('FORBIDDEN', message);
  }
}

/**
 * A document Ripple stored as JSON text (an assessment snapshot, an incident's impact, a history entry) that does
 * not read as any shape Ripple writes: changed outside Ripple, or cut short. The record stays; the message names
 * it so that a person can act (re-assess, refresh) instead of meeting INTERNAL.
 */
export class CorruptRecordError extends RippleError {
  constructor(what: string, reason: string) {
    super('CORRUPT_RECORD', `the stored ${what} cannot be read (${reason}); it was not written by Ripple in this form`);
  }
}
