// Owns what a person is told when editing a field that the class model lets a discovery source win: the edit is
// applied (a person's change is authoritative when made), but the source that set the value and outranks the
// editor for that field will replace it with its next report, and saying so at the time is the only honest place.

export interface EditWarning {
  field: string;
  reason: string;
}

/**
 * Warnings for `fields` edited by `editor` on a CI of `className`: one per field whose value was set by a source
 * (`setBy(field)`, from provenance) that ranks above the editor in `precedence(field)`. A source missing from
 * the order ranks below every listed one, as in reconciliation.
 */
export function editWarnings(
  className: string,
  fields: readonly string[],
  editor: string,
  setBy: (field: string) => string | undefined,
  precedence: (field: string) => readonly string[],
): EditWarning[] {
  return fields.flatMap((field) => {
    const holder = setBy(field);
    if (!holder || holder === editor) return [];
    const order = precedence(field);
    const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
    if (rank(holder) >= rank(editor)) return [];
    return [{ field, reason: `${holder} ranks above ${editor} for ${field} on a ${className} (schema/classes.yaml precedence) and set this value: its next report will replace this edit` }];
  });
}
