// Owns the common fields every CI carries at the top of an input (the class model's writable commonAttributes),
// as people's commands and discovery batches both take them; every other value is a class attribute.

export const COMMON_FIELDS = ['name', 'environment', 'lifecycle', 'criticality', 'description'] as const;

export type CommonField = (typeof COMMON_FIELDS)[number];

/** The common fields of a CI in an input: a name, the rest optional (null clears one). */
export interface CommonValues {
  name: string;
  environment?: string | null;
  lifecycle?: string | null;
  criticality?: number | null;
  description?: string | null;
}

/** The input field a validation error names: a common field at the top of the input, the rest under `attributes`. */
export function inputField(field: string): string {
  return (COMMON_FIELDS as readonly string[]).includes(field) ? field : `attributes.${field}`;
}
